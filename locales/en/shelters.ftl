# Shelters.
shelters-title = Shelters · { -product }
shelters-heading = Emergency shelters
shelters-lead = This page will show the nearest emergency shelter that is open and has room, and the way there.
