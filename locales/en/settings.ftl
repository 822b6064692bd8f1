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

settings-privacy-places = Your saved places are kept in a second cookie in this browser, as a township or village code, or as a point rounded to about 1 km on your phone before it leaves it. Your exact position is never sent or stored.
settings-privacy-notifications = If you turn on notifications, the server keeps what it needs to send them: the address your browser's push service gave, the browser's encryption keys, your places in the same rough form, the levels you chose and your language. No name, no phone number. Turning notifications off deletes it.
settings-places-link = Add or remove your places on the home page.

# Notifications with the app closed (Web Push).
notify-heading = Notifications
notify-intro = Get a notification on this phone when a warning concerns your saved places, even when this site is closed.
notify-unavailable = This server does not send notifications yet. Warnings are on the home page.
notify-needs-browser = Notifications need JavaScript and a browser that supports them. Warnings are always on the home page.
notify-state-on = Notifications are on for this browser.
notify-state-off = Notifications are off for this browser.
notify-turn-on = Turn on notifications
notify-turn-off = Turn off notifications
notify-test = Send me a test notification
notify-working = One moment…
notify-turned-on = Notifications are on. You will be notified of warnings for your saved places.
notify-turned-off = Notifications are off.
notify-test-sent = Test notification sent. It should arrive within a minute.
notify-levels = Levels that notify you
notify-levels-save = Save levels
notify-levels-saved = Levels saved.
notify-error-denied = The browser did not allow notifications. You can allow them in the browser's site settings.
notify-error-unsupported = This browser cannot receive notifications.
notify-error-push-service = The browser's push service could not be reached. Try again later; warnings are still on the home page.
notify-error-service = This browser's push service is not one this server can use.
notify-error-keys = The browser's subscription could not be read. Try again.
notify-error-not-subscribed = Notifications are not on for this browser.
notify-error-too-soon = A test was sent moments ago. Wait half a minute before the next.
notify-error-gone = The browser's subscription has ended. Turn notifications on again.
notify-error-failed = The notification could not be sent. Try again later.
notify-error-unavailable = This server does not send notifications.
notify-error-levels = Unknown warning level.
notify-error-no-levels = Choose at least one level, or turn notifications off.

settings-alert-signals = When a new warning for your places arrives while a page is open
settings-alert-signals-hint = A banner always appears. These work while this site is open; with JavaScript off they do nothing.
settings-alert-sound = Sound a tone
settings-alert-vibrate = Vibrate (phones that can)
notify-error-no-places = Save at least one place on the home page first: notifications are for your places.
