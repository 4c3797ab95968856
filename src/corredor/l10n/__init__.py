"""What Corredor writes per language beyond its catalogs: country names from CLDR (`countries`), the
locale formats Django does not ship (`formats`, FORMAT_MODULE_PATH) and Django's own messages marked for
the Haitian Creole catalog (`django_messages`). Below core: it imports no app."""
