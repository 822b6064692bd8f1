# The app shell: name, navigation, footer, 404 page, languages and shared errors.
# Terms such as -product share one namespace with messages in fluent-bundle: never give a message a term's name.
-product = Safe Jingdezhen
app-name = Safe Jingdezhen
shell-skip-to-content = Skip to content
shell-description = The public service of Jingdezhen's emergency management bureau: warnings for your places, the nearest emergency shelter, safety drills and safety knowledge.
nav-label = Main navigation
nav-warnings = Warnings
nav-shelters = Shelters
nav-drills = Drills
nav-learn = Learn
nav-settings = Settings
shell-footer-emergency = In an emergency call 110 (police), 119 (fire), 120 (ambulance) or 122 (traffic accidents) at once.
not-found-title = Page not found · { -product }
not-found-heading = We can’t find this page
not-found-body = The page you are looking for does not exist or has moved. Go back to the home page to see current warnings.
not-found-home = Back to warnings
language-own-name = English
language-switch-label = Switch language: 中文
language-name-zh-cn = 中文（简体）
language-name-en = English
error-request-failed = The request did not go through. Check your connection and try again.
error-unknown-language = That language is not supported.
demo-banner-text = This is a demonstration: the warnings shown are samples written for testing, not real warnings.

# Answered (503) when a page could not be rendered in time.
shell-page-timeout = The page could not be prepared in time. Please try again in a few seconds.
