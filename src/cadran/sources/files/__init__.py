"""Reading export files into rectangular blocks of text cells, whatever the container.

    from cadran.sources.files import read_tables
    for table in read_tables(Path("Facebook Posts Q2.xls")):
        header = table.rows[0]
        table.load(con, "incoming", start_row=table.first_row + 1, width=len(header))

CSV (any of UTF-8, UTF-8 with BOM, UTF-16, Windows-1252; comma, semicolon or tab; GA4's
multi-table form with '#' comments), BIFF8 .xls, .xlsx and Excel 2003 XML (SpreadsheetML) are
recognised by content. No header interpretation happens here: that is the importers' job.
"""

from cadran.sources.files.reader import read_tables
from cadran.sources.files.table import Table, drop_loaded

__all__ = ["Table", "drop_loaded", "read_tables"]
