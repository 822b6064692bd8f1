# Learn (science education).
learn-title = 科普 · { -product }
learn-heading = 安全科普
learn-lead = 这里将提供针对本市各类灾害的科普文章和小测验，如洪涝、地质灾害、森林火灾、地震等。
