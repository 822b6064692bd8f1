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

settings-privacy-places = 您保存的地点保存在本机浏览器的另一个 Cookie 中，只是乡镇（街道）或村（社区）代码，或在手机上先取整到约 1 公里的位置点。您的精确位置从不发送，也从不保存。
settings-privacy-notifications = 开启通知后，服务器只保存发送通知所需的信息：浏览器推送服务提供的地址、浏览器的加密密钥、同样粗略的地点、您选择的预警级别和语言。不含姓名，不含电话号码。关闭通知即删除这些信息。
settings-places-link = 在首页添加或删除您的地点。

# Notifications with the app closed (Web Push).
notify-heading = 预警通知
notify-intro = 当有预警涉及您保存的地点时，即使没有打开本网站，手机上也会收到通知。
notify-unavailable = 本服务器暂未开通通知。预警信息请看首页。
notify-needs-browser = 通知需要开启 JavaScript，并使用支持通知的浏览器。预警信息始终显示在首页。
notify-state-on = 本浏览器已开启通知。
notify-state-off = 本浏览器未开启通知。
notify-turn-on = 开启通知
notify-turn-off = 关闭通知
notify-test = 给我发一条测试通知
notify-working = 请稍候……
notify-turned-on = 通知已开启。涉及您保存地点的预警将通知您。
notify-turned-off = 通知已关闭。
notify-test-sent = 测试通知已发送，一分钟内应能收到。
notify-levels = 接收哪些级别的预警
notify-levels-save = 保存级别
notify-levels-saved = 级别已保存。
notify-error-denied = 浏览器没有允许通知。您可以在浏览器的网站设置中允许。
notify-error-unsupported = 此浏览器无法接收通知。
notify-error-push-service = 无法连接浏览器的推送服务。请稍后再试；预警信息仍会显示在首页。
notify-error-service = 本服务器无法使用此浏览器的推送服务。
notify-error-keys = 无法读取浏览器的订阅信息，请重试。
notify-error-not-subscribed = 本浏览器尚未开启通知。
notify-error-too-soon = 刚刚已发送过测试通知，请半分钟后再试。
notify-error-gone = 浏览器的订阅已失效，请重新开启通知。
notify-error-failed = 通知未能发送，请稍后再试。
notify-error-unavailable = 本服务器未开通通知。
notify-error-levels = 未知的预警级别。
notify-error-no-levels = 请至少选择一个级别，或关闭通知。

settings-alert-signals = 页面打开时，有涉及您地点的新预警
settings-alert-signals-hint = 页面上总会显示提示横幅。以下选项在本网站打开时有效；关闭 JavaScript 时不起作用。
settings-alert-sound = 播放提示音
settings-alert-vibrate = 振动（支持振动的手机）
notify-error-no-places = 请先在首页保存至少一个地点：通知只针对您的地点。
