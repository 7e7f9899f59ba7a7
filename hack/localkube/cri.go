package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/trace/noop"
	remote "k8s.io/cri-client/pkg"
)

// criCleanup stops and removes every pod sandbox of a CRI runtime, as a
// kubelet would when its pods are deleted: the runtime kills the containers,
// tears the pod networks down through CNI (veths, IP allocations, network
// namespaces) and unmounts the sandboxes. `cluster:down` runs it before it
// stops the containerd of a real node, so nothing of the node outlives it.
func criCleanup(args []string) error {
	fs := flag.NewFlagSet("cri-cleanup", flag.ContinueOnError)
	endpoint := fs.String("endpoint", "", "the CRI endpoint, e.g. unix:///path/containerd.sock")
	timeout := fs.Duration("timeout", time.Minute, "how long the whole cleanup may take")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *endpoint == "" {
		return errors.New("--endpoint is required")
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	runtime, err := remote.NewRemoteRuntimeService(*endpoint, 10*time.Second, noop.NewTracerProvider(), nil)
	if err != nil {
		return err
	}
	sandboxes, err := runtime.ListPodSandbox(ctx, nil)
	if err != nil {
		return err
	}
	var errs []error
	for _, s := range sandboxes {
		name := s.Metadata.Namespace + "/" + s.Metadata.Name
		if err := runtime.StopPodSandbox(ctx, s.Id); err != nil {
			errs = append(errs, fmt.Errorf("stopping the sandbox of %s: %w", name, err))
			continue
		}
		if err := runtime.RemovePodSandbox(ctx, s.Id); err != nil {
			errs = append(errs, fmt.Errorf("removing the sandbox of %s: %w", name, err))
			continue
		}
		fmt.Printf("removed the sandbox of %s\n", name)
	}
	return errors.Join(errs...)
}
