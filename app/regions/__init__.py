"""The regional network (一张网): the city, its districts and counties, and functional zones."""
