package generator

import (
	"strings"
)

// pipelineRegionRE reads the region out of an Image Builder pipeline ARN.
var pipelineRegionRE = lazyRE(`^arn:aws[a-z-]*:imagebuilder:([a-z0-9-]+):`)

// image checks one amiId/pipelineArn pair at path; region, when known,
// is where the pipeline must be.
func (c *checker) image(path, ami, pipeline, region string) {
	switch {
	case ami == "" && pipeline == "":
		c.add(path, "set amiId or pipelineArn")
	case ami != "" && pipeline != "":
		c.add(path, "set amiId or pipelineArn, not both")
	case ami != "" && !amiRE.MatchString(ami):
		c.add(path+".amiId", "%q is not an AMI id such as ami-0123456789abcdef0", ami)
	case pipeline != "" && !pipelineRE.MatchString(pipeline):
		c.add(path+".pipelineArn", "%q is not an EC2 Image Builder pipeline ARN", pipeline)
	case pipeline != "" && region != "":
		if m := pipelineRegionRE.FindStringSubmatch(pipeline); m != nil && m[1] != region {
			c.add(path+".pipelineArn", "is a pipeline in %s, not %s; name the pipeline of %s", m[1], region, region)
		}
	}
}

// customImage checks cluster.customImage of a CUSTOM cluster on its own.
func (c *checker) customImage(ci *CustomImage) {
	if len(ci.Regions) == 0 {
		c.image("cluster.customImage", ci.AMIID, ci.PipelineARN, "")
		return
	}
	if ci.AMIID != "" || ci.PipelineARN != "" {
		c.add("cluster.customImage", "set the image either once (amiId or pipelineArn) or per region (regions), not both")
	}
	for _, r := range sortedKeys(ci.Regions) {
		p := "cluster.customImage.regions[" + r + "]"
		if !regionRE.MatchString(r) {
			c.add(p, "%q is not an AWS region such as eu-west-1", r)
			continue
		}
		img := ci.Regions[r]
		c.image(p, img.AMIID, img.PipelineARN, r)
	}
}

// imageRegions checks that every target region of a CUSTOM cluster has an
// image: an AMI exists in one region only, so one amiId cannot serve
// targets in several.
func (c *checker) imageRegions(e *Environment) {
	ci := e.Cluster.CustomImage
	if e.Cluster.OS != OSCustom || ci == nil {
		return
	}
	var regions []string
	seen := map[string]bool{}
	for _, t := range e.Targets {
		if !seen[t.Region] && regionRE.MatchString(t.Region) {
			seen[t.Region] = true
			regions = append(regions, t.Region)
		}
	}
	if len(ci.Regions) > 0 {
		for _, r := range regions {
			if _, ok := ci.Regions[r]; !ok {
				c.add("cluster.customImage.regions", "has no image for %s, where a target is; add %s: {amiId: ...} (the AMI or pipeline of that region)", r, r)
			}
		}
		return
	}
	switch {
	case len(regions) > 1:
		c.add("cluster.customImage", "names one image, but the targets are in %s, and an AMI or pipeline belongs to one region; name each region's image under regions (regions: {%s: {amiId: ...}, ...})", strings.Join(regions, ", "), regions[0])
	case len(regions) == 1 && ci.PipelineARN != "" && pipelineRE.MatchString(ci.PipelineARN):
		if m := pipelineRegionRE.FindStringSubmatch(ci.PipelineARN); m != nil && m[1] != regions[0] {
			c.add("cluster.customImage.pipelineArn", "is a pipeline in %s, but the targets are in %s; name the pipeline of %s", m[1], regions[0], regions[0])
		}
	}
}

// imageFor is the custom image of a target's region: amiId or pipelineArn.
func imageFor(ci *CustomImage, region string) (ami, pipeline string) {
	if img, ok := ci.Regions[region]; ok {
		return img.AMIID, img.PipelineARN
	}
	return ci.AMIID, ci.PipelineARN
}
