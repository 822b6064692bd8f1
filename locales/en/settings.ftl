# Settings: language, elderly mode, contrast, privacy note.
settings-title = Settings · { -product }
settings-heading = Settings
settings-language = Language
settings-display = Display
settings-elderly = Elderly mode (large text, large buttons)
settings-elderly-hint = Makes text and buttons larger, easier to read and to tap.
settings-contrast = High contrast
settings-contrast-hint = Darker text and borders, easier to see in bright light or with weak eyesight.
settings-save = Save settings
settings-saved = Settings saved.
settings-privacy-heading = Where these settings are kept
settings-privacy-body = Your language and display settings are kept only in one cookie in this browser, so that pages show the way you chose. It holds no personal information.
