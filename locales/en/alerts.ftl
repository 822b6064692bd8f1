# Warnings (home page).
warnings-title = Warnings · { -product }
warnings-heading = Current warnings
warnings-lead = This page will show the warnings issued for Jingdezhen that concern your places: the level, the area, how long they last, and what to do now.
