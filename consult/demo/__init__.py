"""consult/demo"""
