module tarlist

go 1.22
