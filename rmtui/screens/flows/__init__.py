"""Ask in a form, then save: the flows the screens share for clients, records and deals."""
