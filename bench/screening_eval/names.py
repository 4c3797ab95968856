"""Names to build synthetic watchlists and the labelled evaluation set from (data).

Lists are written as people write them (accents, ñ, native scripts), roughly in order of
frequency; :mod:`bench.screening_eval.synthetic` gives earlier names more weight.
Groups (``A/B/C``) are romanisations of one name: an entry is listed with one and a
traveller may carry another.
"""

from __future__ import annotations

# Mexico, Central America and the Hispanic Caribbean, most frequent first.
HISPANIC_SURNAMES = """
Hernández García Martínez López González Pérez Rodríguez Sánchez Ramírez Cruz Flores Gómez
Morales Vázquez Reyes Jiménez Torres Díaz Gutiérrez Ruiz Mendoza Aguilar Ortiz Moreno Castillo
Romero Álvarez Méndez Chávez Rivera Juárez Ramos Domínguez Herrera Medina Castro Vargas Guzmán
Velázquez Muñoz Rojas De_la_Cruz Contreras Salazar Luna Ortega Santiago Guerrero Bautista
Cortés Soto Alvarado Espinoza Lara Ávila Ríos Cervantes Silva Delgado Vega Márquez Sandoval
Carrillo León Mejía Solís Ibarra Robles Valdez Núñez Campos Rosas Camacho Navarro Peña
Maldonado Rosales Acosta Molina Fuentes Cabrera Sosa Escobar Orozco Miranda Trejo Zamora
Esquivel Villegas Barrera Pacheco Galván Padilla Marín Bravo Estrada Guerra Cárdenas Rangel
Salinas Benítez Zúñiga Vega Del_Valle Figueroa Tapia Villanueva Montes Osorio Quintero Arellano
Pineda Ponce Valencia Duarte Lozano Andrade Carmona Avendaño Zavala Calderón Meza Suárez
Velasco Cisneros Beltrán Hidalgo Olvera Arias Castañeda Ochoa Serrano Aguirre Mora Santos
Lugo Villa Gallegos Montoya Xolalpa Tzompantzi Cuauhtle Chuc Canul Pech Xicoténcatl Quetzal
De_los_Santos San_Martín Santa_María Montes_de_Oca Ximénez Mexía Yáñez Llamas Vallejo Bolaños
Quiñónez Urquiza Echeverría Goicoechea Villalobos Coronado Báez Vélez Ovalle Batista Polanco
Paulino Almonte Mercedes Encarnación Tavárez Féliz Abreu Cuevas Rijo Brito
"""

HISPANIC_MALE = """
José Juan Luis Carlos Jesús Francisco Antonio Miguel Pedro Alejandro Manuel Jorge Ricardo
Fernando Raúl Roberto Eduardo Daniel Sergio Mario Javier Arturo Alberto Enrique Víctor Rafael
Óscar Martín Héctor Gerardo Ángel David Julio Salvador Ramón Alfredo Ignacio Guillermo Andrés
Gabriel Armando Felipe Rodrigo Ernesto Santiago Diego Emiliano Mateo Sebastián Cristian Kevin
Brayan Jonathan Edgar Adrián Omar Jaime César Gustavo Hugo Ismael Abel Elías Efraín Rogelio
Cuauhtémoc Moisés Isaac Benjamín Saúl Joel Wilfredo Yeison Maynor Wilmer Élmer Nelson Erick
Bryan Josué Misael Anderson Darwin Selvin Marvin Walter Gilberto Leonel Héctor Ulises Tomás
Vicente Agustín Lorenzo Bernardo Esteban Octavio Rubén Israel Noé Baltazar Fidel Ezequiel
"""

HISPANIC_FEMALE = """
María Guadalupe Juana Rosa Ana Margarita Verónica Leticia Elizabeth Patricia Alejandra
Gabriela Martha Laura Silvia Claudia Adriana Araceli Gloria Teresa Yolanda Carmen Lucía
Rosario Dolores Fernanda Sofía Ximena Valeria Camila Daniela Paola Karla Andrea Mónica Elena
Isabel Beatriz Alicia Sandra Norma Irma Lorena Érika Brenda Diana Yesenia Jessica Esmeralda
Xóchitl Citlali Itzel Mayra Miriam Concepción Mercedes Socorro Refugio Josefina Francisca
Antonia Luz Esperanza Ángela Estela Susana Lourdes Cecilia Raquel Noemí Marisol Yesica Nayeli
Wendy Heidy Dayana Yamileth Kimberly Ingrid Rocío Inés Pilar Graciela Ofelia Eva Blanca
"""

# Compound given names that are one name to their bearers.
HISPANIC_COMPOUND = """
José_Luis Juan_Carlos José_Antonio Miguel_Ángel Luis_Fernando Juan_Manuel José_Manuel
Jesús_Alberto Juan_de_Dios José_de_Jesús Juan_Pablo Luis_Alberto Carlos_Alberto Jorge_Luis
María_Guadalupe María_de_los_Ángeles María_del_Carmen María_José María_Fernanda Ana_María
María_Elena María_Teresa Rosa_María María_de_Jesús María_Isabel Luz_María María_del_Rosario
"""

HAITIAN_SURNAMES = """
Joseph Jean Pierre Louis Charles Jean-Baptiste Étienne François Dorvil Désir Augustin Alexis
Célestin Delva Dorsainvil Exantus Fleurant Geffrard Jeudy Jolicoeur Laguerre Lamour Michel
Moïse Noël Paul Petit-Frère Pierre-Louis Prophète Saint-Fleur Saint-Louis Saint-Vil Simon
Toussaint Valcourt Zamor Dorcély Cadet Baptiste Bélizaire Bernard Bien-Aimé Chéry Clervil
Damus Deus Élysée Fils-Aimé Guerrier Hilaire Jacques Lafortune Lebrun Métellus Ori Florestal
Beauvoir Dumas Jocelyn Antoine Thélusma Calixte Estimé Dieujuste Thermidor Philogène Joachim
"""

HAITIAN_GIVEN = """
Jean Marie Pierre Joseph Jean-Baptiste Jean-Claude Jean-Pierre Marie-Claire Marie-Ange
Nadège Fabiola Guerline Wideline Dieudonné Junior Wilson Fritz Louinès Roody Sonia Mirlande
Myriam Natacha Phara Roseline Woodley Emmanuel Josué François Jacques Ernso Frantz Wilner
Guerdy Jocelyne Évelyne Esther Madeleine Rose-Marie Jean-Robert Jean-Louis Louis Michel
Ketly Lovely Manoucheka Stéphanie Widlyne Wisline Mackenson Jean-Marc Yves Gérald Ronald
"""

# Romanisations of one Arabic name, the commonest first.
ARABIC_GIVEN = """
Mohammed/Muhammad/Mohamed/Mohammad/Mohamad Ahmed/Ahmad Mahmoud/Mahmud Mustafa/Mostafa/Mustapha
Hussein/Husayn/Hussain/Hossein Hassan/Hasan Ali/Aly Omar/Umar Khaled/Khalid Youssef/Yusuf/Yousef
Ibrahim/Ebrahim Abdullah/Abdallah Abdelrahman/Abdulrahman/Abdurrahman Samir/Sameer Walid/Waleed
Tarik/Tariq/Tareq Jamal/Gamal Nasser/Nasir Karim/Kareem Rashid/Rachid/Rasheed Said/Saeed/Sayed
Hamza/Hamzah Bilal/Belal Farouk/Faruq Osama/Usama Ismail/Ismael Suleiman/Sulayman Adel/Adil
"""

ARABIC_FEMALE = """
Fatima/Fatma Aisha/Aicha/Ayesha Khadija/Khadidja Maryam/Meriem/Mariam Zainab/Zeinab
Layla/Leila/Laila Amina/Aminah Nour/Noor Salma/Selma Yasmin/Yasmine/Jasmin Huda/Houda Rania
"""

ARABIC_SURNAMES = """
Al-Assad/Al_Asad/El-Assad Haddad/Hadad Khoury/Khouri/Khuri Saleh/Salih Mansour/Mansur Hamdan
Al-Rashid/Al_Rasheed Abbas Qureshi/Kureshi/Quraishi Othman/Osman/Usman/Uthman Habib/Habeeb
Aziz Yassin/Yasin Jaber/Jabir Mahdi/Mehdi Al-Masri/El-Masry Sharif/Sherif/Cherif Amin/Ameen
Bouazizi Benali/Ben_Ali Al-Hashimi/Al_Hashemi Nasrallah Darwish/Darwiche Kassem/Qasim/Kacem
Hamad Khalil Saad Fakhoury Barakat Abdelaziz/Abdul_Aziz Ghanem/Ghanim Tahir/Taher Zaki/Zaky
"""

# Russian and Ukrainian, in Cyrillic; female surnames add -А to -ОВ/-ЕВ/-ИН.
CYRILLIC_MALE = """
Александр Сергей Дмитрий Андрей Алексей Максим Евгений Иван Михаил Николай Юрий Владимир Олег
Игорь Артём Павел Виктор Денис Антон Василий Фёдор Григорий Ярослав Тарас Богдан
"""

CYRILLIC_FEMALE = """
Елена Ольга Наталья Татьяна Ирина Светлана Юлия Анна Мария Екатерина Яна Людмила Валентина
Оксана Ксения Дарья Анастасия Виктория Галина Жанна
"""

CYRILLIC_SURNAMES = """
Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков
Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Зайцев
Шевченко Коваленко Бондаренко Ткаченко Жуков Щербаков Чернов Юдин Яковлев Харитонов Зуев
Кравченко Мельник Гончаренко Поляков Белов Журавлёв Цветков Хабибуллин Шапиро
"""

# Chinese surnames: characters, pinyin, and the other spellings met on documents
# (Wade-Giles, Cantonese, Hokkien).
CHINESE_SURNAMES = """
王:Wang/Wong 李:Li/Lee 张:Zhang/Chang/Cheung 刘:Liu/Lau 陈:Chen/Chan/Tan 杨:Yang/Yeung
黄:Huang/Wong/Hwang 赵:Zhao/Chao/Chiu 吴:Wu/Ng/Goh 周:Zhou/Chou/Chow 徐:Xu/Hsu/Tsui
孙:Sun/Suen 马:Ma/Mah 朱:Zhu/Chu/Choo 胡:Hu/Woo 郭:Guo/Kuo/Kwok 何:He/Ho 林:Lin/Lam/Lim
高:Gao/Kao/Ko 罗:Luo/Lo/Law 郑:Zheng/Cheng/Tay 梁:Liang/Leung 谢:Xie/Hsieh/Tse 宋:Song/Sung
唐:Tang/Tong 许:Xu/Hui/Koh 邓:Deng/Teng/Tang 冯:Feng/Fung 曹:Cao/Tsao/Cho 彭:Peng/Pang
"""

# Chinese given names: characters and pinyin (written as one word on documents).
CHINESE_GIVEN = """
伟:Wei 芳:Fang 娜:Na 秀英:Xiuying 敏:Min 静:Jing 丽:Li 强:Qiang 磊:Lei 军:Jun 洋:Yang 勇:Yong
艳:Yan 杰:Jie 涛:Tao 明:Ming 超:Chao 小明:Xiaoming 小红:Xiaohong 建华:Jianhua 志伟:Zhiwei
海燕:Haiyan 国强:Guoqiang 建国:Jianguo 晓东:Xiaodong 丽娟:Lijuan 文博:Wenbo 子轩:Zixuan
"""

# Wade-Giles spellings of pinyin syllables, for travellers from Taiwan and older documents.
WADE_GILES = {
    "XIAO": "HSIAO", "HONG": "HUNG", "JIAN": "CHIEN", "ZHI": "CHIH", "YAN": "YEN", "GUO": "KUO",
    "QIANG": "CHIANG", "JUN": "CHUN", "JING": "CHING", "XIU": "HSIU", "JIE": "CHIEH", "YONG": "YUNG",
    "DONG": "TUNG", "ZHONG": "CHUNG", "ZI": "TZU", "XUAN": "HSUAN", "BO": "PO", "JUAN": "CHUAN",
    "HUA": "HUA", "WEI": "WEI", "HAI": "HAI", "MING": "MING", "LI": "LI", "WEN": "WEN",
    "YING": "YING", "FANG": "FANG", "NA": "NA", "MIN": "MIN", "LEI": "LEI", "TAO": "TAO",
    "CHAO": "CHAO", "YANG": "YANG",
}  # fmt: skip

SOUTH_ASIAN_GIVEN = """
Rajesh Suresh Ramesh Sanjay Vijay Amit Rahul Priya Pooja Sunita Anita Lakshmi/Laxmi Deepak/Dipak
Imran Asif Shahid/Shaheed Javed/Javaid Abdul Rakesh Anil Sunil Manoj Arjun Ravi Kavita Nisha
"""

SOUTH_ASIAN_SURNAMES = """
Singh Kumar Sharma Patel Gupta Khan Chowdhury/Choudhury/Chaudhary/Chaudhry Srivastava/Shrivastava
Rahman/Rehman Hossain/Hussain/Hosain Islam Begum Akhtar/Akter/Akhter Malik Reddy Nair Iyer
Mukherjee/Mukherji Banerjee/Banerji Chatterjee/Chatterji Das Bose/Basu Joshi Mehta Shah Verma
"""

ENGLISH_MALE = (
    "John Michael David James Robert William Richard Thomas Christopher Daniel Matthew Anthony Mark Paul"
)
ENGLISH_FEMALE = (
    "Mary Jennifer Linda Elizabeth Sarah Jessica Karen Nancy Lisa Susan Emily Ashley Michelle Amanda"
)
ENGLISH_SURNAMES = """
Smith Johnson Williams Brown Jones Miller Davis Wilson Taylor Anderson Thomas Jackson White
Harris Martin Thompson Robinson Clark Lewis Walker Young Allen King Wright Scott McDonald O'Brien
O'Connor Campbell Stewart Murphy Bennett Richardson Fitzgerald
"""

# Names with letters that ICAO spells with two (Ä AE, Ö OE, Ü UE, Å AA, Ø OE) or that
# Unicode does not decompose (ß, ı, Ø), from German, Nordic and Turkish.
UMLAUT_SURNAMES = """
Müller Schröder Böhm Krämer Möller Jäger Götz Höfer Sørensen Jørgensen Åberg Löfgren Ström König
Öztürk Yıldız Çelik Şahin Aydın Doğan Kılıç Weiß Groß Strauß Søndergaard Hægstad
"""
UMLAUT_GIVEN = "Jürgen Günther Björn Søren Jörg Özlem Gül Håkon Märta Dörte Ülkü Ayşe Çağlar Ömer"


def words(block: str) -> list[str]:
    """The entries of a whitespace-separated list, with ``_`` turned back into spaces."""
    return [word.replace("_", " ") for word in block.split()]


def groups(block: str) -> list[list[str]]:
    """The ``A/B/C`` groups of a list of romanisations."""
    return [word.split("/") for word in words(block)]


def keyed(block: str) -> list[tuple[str, list[str]]]:
    """``NATIVE:Latin/Latin`` entries: the native spelling and its Latin spellings."""
    out = []
    for word in block.split():
        native, _, latin = word.partition(":")
        out.append((native, latin.split("/")))
    return out
