"""consult/services/consultations"""
