"""Labels of the table download buttons and of the context rows of an Excel export."""

STRINGS: dict[str, tuple[str, str]] = {
    "export.csv": ("CSV", "CSV"),
    "export.excel": ("Excel", "Excel"),
    "export.table": ("Table", "表格"),
    "export.filters": ("Filters", "筛选条件"),
    "export.exported_by": ("Exported by", "导出人"),
    "export.exported_at": ("Exported at", "导出时间"),
    "export.version": ("Warehouse version", "数据版本"),
    "export.audit_failed": (
        "The file was not given: the download could not be written to the audit log. Try again "
        "later, or tell the system administrator if it keeps failing.",
        "文件未提供：本次下载未能写入审计日志。请稍后重试；如仍失败，请联系系统管理员。",
    ),
}
