# Settings: language, elderly mode, contrast, privacy note.
settings-title = 设置 · { -product }
settings-heading = 设置
settings-language = 语言
settings-display = 显示
settings-elderly = 长辈模式（大字体、大按钮）
settings-elderly-hint = 放大文字和按钮，方便老年人阅读和点按。
settings-contrast = 高对比度
settings-contrast-hint = 加深文字和边框颜色，在强光下或视力较弱时更易看清。
settings-save = 保存设置
settings-saved = 设置已保存。
settings-privacy-heading = 这些设置保存在哪里
settings-privacy-body = 语言和显示设置只保存在本机浏览器的一个 Cookie 中，用于让页面以您选择的方式显示。其中不含任何个人信息。
