def display_name(user) -> str:
    """A user as pages and messages name them: full name, else user name."""
    if user is None:
        return "someone"
    return user.get_full_name() or user.get_username()
