# Drills.
drills-title = 演练 · { -product }
drills-heading = 安全演练
drills-lead = 这里将提供线上安全演练：每个人都可以自己练习，老师可以带领全班同学同步演练。
