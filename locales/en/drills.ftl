# Drills.
drills-title = Drills · { -product }
drills-heading = Safety drills
drills-lead = This page will offer online safety drills: anyone can practise alone, and teachers can run a live session with their class.
