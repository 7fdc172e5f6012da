"""Labels of the table download buttons and of the context rows of an Excel export."""

STRINGS: dict[str, tuple[str, str]] = {
    "export.csv": ("CSV", "CSV"),
    "export.excel": ("Excel", "Excel"),
    "export.table": ("Table", "表格"),
    "export.filters": ("Filters", "筛选条件"),
    "export.exported_by": ("Exported by", "导出人"),
    "export.exported_at": ("Exported at", "导出时间"),
    "export.version": ("Warehouse version", "数据版本"),
}
