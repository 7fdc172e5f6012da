"""Labels of the saved-views popover (segment and migration pages)."""

STRINGS: dict[str, tuple[str, str]] = {
    "views.title": ("Saved views 保存视图", "保存的视图"),
    "views.help": (
        "Save this page with all its filters under a name, and reopen it later.",
        "将本页及全部筛选条件以名称保存，之后可随时重新打开。",
    ),
    "views.name": ("Name of this view", "视图名称"),
    "views.save": ("Save view", "保存视图"),
    "views.saved": ("Saved “{name}”", "已保存“{name}”"),
    "views.name_needed": ("Give the view a name first.", "请先输入视图名称。"),
    "views.none": ("No saved views yet.", "尚无保存的视图。"),
    "views.delete": ("Delete this view", "删除该视图"),
}
