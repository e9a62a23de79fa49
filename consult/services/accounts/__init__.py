"""consult/services/accounts"""
