"""Planning: a KPI request becomes a plan and one SQL query (pure: nothing is executed here)."""
