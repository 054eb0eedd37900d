"""Loading ``terraform show -json`` output (plan and state documents)."""
