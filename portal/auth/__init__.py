"""Who someone is (sign-in), what they may do (permissions), and for whom they act."""
