module mirrorkube.dev/hack/images/pause

go 1.24.0
