"""Pure domain code: KPI model, formula language, periods, validation. No I/O happens here."""
