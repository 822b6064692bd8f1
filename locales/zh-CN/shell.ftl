# The app shell: name, navigation, footer, 404 page, languages and shared errors.
# Terms such as -product share one namespace with messages in fluent-bundle: never give a message a term's name.
-product = 平安瓷都
app-name = 平安瓷都
shell-skip-to-content = 跳到正文
shell-description = 景德镇市应急管理局的公众服务：您所在地点的预警、最近的应急避难场所、安全演练和安全科普。
nav-label = 主导航
nav-warnings = 预警
nav-shelters = 避难场所
nav-drills = 演练
nav-learn = 科普
nav-settings = 设置
shell-footer-emergency = 遇到紧急情况，请立即拨打 110（报警）、119（火警）、120（急救）、122（交通事故）。
not-found-title = 找不到页面 · { -product }
not-found-heading = 找不到这个页面
not-found-body = 您要找的页面不存在或已移动。请从下方返回首页查看当前预警。
not-found-home = 返回预警首页
language-own-name = 中文
language-switch-label = 切换语言：English
language-name-zh-cn = 中文（简体）
language-name-en = English
error-request-failed = 请求没有成功，请检查网络后再试一次。
error-unknown-language = 不支持所选的语言。
demo-banner-text = 这是演示版本：页面上的预警是为测试编写的样例，不是真实预警。

# Answered (503) when a page could not be rendered in time.
shell-page-timeout = 页面暂时无法显示，请稍后重试。
