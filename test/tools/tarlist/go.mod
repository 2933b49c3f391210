module tarlist

go 1.19
