package tfplan

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// fakeAWS answers the few AWS calls `terraform init` makes for an s3
// backend (STS AssumeRole and GetCallerIdentity, S3 ListObjectsV2 for the
// workspaces, HeadObject of the state: there is none yet) and records
// which state objects and roles were asked for.
type fakeAWS struct {
	srv     *httptest.Server
	mu      sync.Mutex
	objects map[string]bool
	roles   map[string]bool
}

func newFakeAWS() *fakeAWS {
	f := &fakeAWS{objects: map[string]bool{}, roles: map[string]bool{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

// URL is the endpoint, for AWS_ENDPOINT_URL.
func (f *fakeAWS) URL() string { return f.srv.URL }

// Close stops the endpoint.
func (f *fakeAWS) Close() { f.srv.Close() }

func (f *fakeAWS) seen() (objects, roles []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for o := range f.objects {
		objects = append(objects, o)
	}
	for r := range f.roles {
		roles = append(roles, r)
	}
	sort.Strings(objects)
	sort.Strings(roles)
	return objects, roles
}

const stsNS = "https://sts.amazonaws.com/doc/2011-06-15/"

func (f *fakeAWS) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	form, _ := url.ParseQuery(string(body))
	switch {
	case r.Method == http.MethodPost && form.Get("Action") == "AssumeRole":
		f.mu.Lock()
		f.roles[form.Get("RoleArn")] = true
		f.mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, `<AssumeRoleResponse xmlns=%q><AssumeRoleResult><Credentials><AccessKeyId>ASIAFAKE</AccessKeyId><SecretAccessKey>fake</SecretAccessKey><SessionToken>fake</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::000000000000:assumed-role/fake/fake</Arn><AssumedRoleId>AROAFAKE:fake</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`, stsNS)
	case r.Method == http.MethodPost && form.Get("Action") == "GetCallerIdentity":
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, `<GetCallerIdentityResponse xmlns=%q><GetCallerIdentityResult><Arn>arn:aws:sts::000000000000:assumed-role/fake/fake</Arn><UserId>AROAFAKE:fake</UserId><Account>000000000000</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`, stsNS)
	case r.Method == http.MethodGet && r.URL.Query().Get("list-type") == "2":
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>%s</Name><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`, strings.Trim(r.URL.Path, "/"))
	default:
		if r.Method == http.MethodHead || r.Method == http.MethodGet {
			f.mu.Lock()
			f.objects[strings.TrimPrefix(r.URL.Path, "/")] = true
			f.mu.Unlock()
		}
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`)
	}
}
