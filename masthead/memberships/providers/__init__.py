"""Payment providers behind one interface (base.py): Stripe, and a demo."""
