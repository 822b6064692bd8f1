# Shelters.
shelters-title = Shelters · { -product }
shelters-heading = Emergency shelters
shelters-lead = This page will show the nearest emergency shelter that is open and has room, and the way there.

# The register's problems: a shelter's fields, a volunteer's report, an import file.
shelters-error-required = This is required.
shelters-error-too-long = Too long: at most 200 characters.
shelters-error-capacity = The capacity must be at least one person.
shelters-error-area = The area must be at least 1 m².
shelters-error-position = The position must be a WGS-84 latitude and longitude in China.
shelters-error-division = Not a division code of Jingdezhen (9 or 12 digits, from the city's register).
shelters-error-occupancy = That count is more than ten times the capacity: please check it.
shelters-error-state = Choose open, full or closed.
shelters-import-unreadable = The file cannot be read as CSV or GeoJSON.
shelters-import-empty = The file is empty: a header row naming the columns is needed.
shelters-import-not-geojson = Not a GeoJSON FeatureCollection.
shelters-import-not-point = Each feature needs a Point geometry [longitude, latitude].
shelters-import-unknown-column = Unknown column: the columns are listed in docs/SHELTERS.md.
shelters-import-missing-column = A required column is missing.
shelters-import-unknown-value = Not one of the allowed values (see docs/SHELTERS.md).
shelters-import-not-whole-number = Not a whole number.
shelters-import-not-a-number = Not a number.
shelters-import-not-yes-no = Not true or false.
shelters-import-bad-id = An id is 1 to 64 letters, digits, '-', '_' or '.'.
shelters-import-duplicate-id = This id is already used by an earlier row of the file.
