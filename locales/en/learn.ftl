# Learn (science education).
learn-title = Learn · { -product }
learn-heading = Safety knowledge
learn-lead = This page will offer articles and quizzes on every hazard of the city, such as floods, landslides, forest fires and earthquakes.
