# Warnings (home page).
warnings-title = 预警 · { -product }
warnings-heading = 当前预警
warnings-lead = 这里将显示景德镇市发布的、与您所在地点有关的预警信息：预警级别、影响区域、持续时间，以及现在应该怎么做。
