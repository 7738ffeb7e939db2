package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/digx/fluxtf/internal/manifest"
)

// readBudget are the flags bounding what one run reads, the manifests
// and their baseline together (validate and check; manifest.Budget).
type readBudget struct {
	bytes   string
	objects int64
}

func (b *readBudget) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&b.bytes, "max-input-bytes", "512Mi", "bytes of manifest files one run may read, its baseline's included, a file a configMapGenerator or secretGenerator reads counting 6 times its size (a Kubernetes quantity: 512Mi, 2Gi); more is exit 2")
	f.Int64Var(&b.objects, "max-objects", manifest.DefaultMaxObjects, "objects one run may read, its baseline's included; more is exit 2")
}

// values reads the flags: bytes and objects.
func (b *readBudget) values() (int64, int64, error) {
	q, err := resource.ParseQuantity(b.bytes)
	if err != nil || q.Value() <= 0 {
		return 0, 0, fmt.Errorf("--max-input-bytes must be a positive size such as 512Mi or 2Gi, got %q", b.bytes)
	}
	if b.objects <= 0 {
		return 0, 0, fmt.Errorf("--max-objects must be positive, got %d", b.objects)
	}
	return q.Value(), b.objects, nil
}
