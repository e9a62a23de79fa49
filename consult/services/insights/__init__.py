"""consult/services/insights"""
