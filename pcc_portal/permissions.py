"""The portal's own permission names; each app declares its own in its permissions module."""

# Seeing exempt ("Part II") items is the one thing panel members may do that the public may not.
VIEW_EXEMPT = "pcc_portal.view_exempt_items"
# Importing records that are public the moment they are written (pcc_portal.transfer): approvers.
CONFIRM_IMPORT = "pcc_portal.confirm_import"
