package demo

import (
	"math"
	"math/rand/v2"
)

// transform maps a normal variate onto a distribution's support.
type transform int

const (
	identity transform = iota // normal
	exponent                  // log-normal
	sigmoid                   // logit-normal (probabilities)
)

// locScale is a normal distribution in a transformed space: normal,
// log-normal or logit-normal. Drift is a shift of mu in units of sigma,
// which keeps the drift arithmetic the same for every feature.
type locScale struct {
	mu, sigma float64
	kind      transform
}

func normal(mean, sd float64) locScale { return locScale{mu: mean, sigma: sd} }

// logNormal is parameterised by its median, which reads better in stories.
func logNormal(median, sigma float64) locScale {
	return locScale{mu: math.Log(median), sigma: sigma, kind: exponent}
}

func logitNormal(mu, sigma float64) locScale {
	return locScale{mu: mu, sigma: sigma, kind: sigmoid}
}

// latencyDist is a log-normal with the given median and 95th percentile.
func latencyDist(p50, p95 float64) locScale {
	if p50 <= 0 || p95 <= p50 {
		return logNormal(math.Max(p50, 1e-3), 0.3)
	}
	return logNormal(p50, math.Log(p95/p50)/1.6448536269514722)
}

// shifted moves the distribution by d standard deviations.
func (l locScale) shifted(d float64) locScale {
	l.mu += d * l.sigma
	return l
}

func (l locScale) forward(z float64) float64 {
	switch l.kind {
	case exponent:
		return math.Exp(z)
	case sigmoid:
		return 1 / (1 + math.Exp(-z))
	}
	return z
}

func (l locScale) sample(r *rand.Rand) float64 {
	return l.forward(l.mu + l.sigma*r.NormFloat64())
}

// cdf is P(X <= x).
func (l locScale) cdf(x float64) float64 {
	if math.IsInf(x, 1) {
		return 1
	}
	z := x
	switch l.kind {
	case exponent:
		if x <= 0 {
			return 0
		}
		z = math.Log(x)
	case sigmoid:
		if x <= 0 {
			return 0
		}
		if x >= 1 {
			return 1
		}
		z = math.Log(x / (1 - x))
	}
	return stdNormalCDF((z - l.mu) / l.sigma)
}

func (l locScale) quantile(p float64) float64 {
	return l.forward(l.mu + l.sigma*stdNormalQuantile(p))
}

func (l locScale) mean() float64 {
	switch l.kind {
	case exponent:
		return math.Exp(l.mu + l.sigma*l.sigma/2)
	case sigmoid:
		// The probit approximation of the logistic-normal mean.
		return 1 / (1 + math.Exp(-l.mu/math.Sqrt(1+math.Pi*l.sigma*l.sigma/8)))
	}
	return l.mu
}

// bucketProbs gives the probability mass of each bucket: (-Inf, b0],
// (b0, b1], ..., (bn-1, +Inf).
func (l locScale) bucketProbs(bounds []float64) []float64 {
	p := make([]float64, len(bounds)+1)
	prev := 0.0
	for i, b := range bounds {
		c := l.cdf(b)
		p[i] = c - prev
		prev = c
	}
	p[len(bounds)] = 1 - prev
	return p
}

func stdNormalCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

func stdNormalQuantile(p float64) float64 { return math.Sqrt2 * math.Erfinv(2*p-1) }

// deciles are the nine inner deciles of a distribution, rounded to four
// significant digits when that keeps them strictly increasing.
func deciles(l locScale) []float64 {
	raw := make([]float64, 9)
	for i := range raw {
		raw[i] = l.quantile(float64(i+1) / 10)
	}
	out := make([]float64, len(raw))
	for i, v := range raw {
		out[i] = roundSig(v, 4)
		if i > 0 && out[i] <= out[i-1] {
			return raw
		}
	}
	return out
}

func roundSig(v float64, digits int) float64 {
	if v == 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return v
	}
	scale := math.Pow(10, float64(digits)-math.Ceil(math.Log10(math.Abs(v))))
	return math.Round(v*scale) / scale
}

// poisson draws a request count with mean lambda.
func poisson(r *rand.Rand, lambda float64) uint64 {
	if lambda <= 0 {
		return 0
	}
	if lambda < 30 {
		// Knuth's method: cheap enough for small means.
		limit, p, k := math.Exp(-lambda), 1.0, uint64(0)
		for {
			p *= r.Float64()
			if p <= limit {
				return k
			}
			k++
		}
	}
	v := math.Round(lambda + math.Sqrt(lambda)*r.NormFloat64())
	if v < 0 {
		return 0
	}
	return uint64(v)
}

// binomial draws how many of n trials succeed with probability p.
func binomial(r *rand.Rand, n uint64, p float64) uint64 {
	if n == 0 || p <= 0 {
		return 0
	}
	if p >= 1 {
		return n
	}
	if n <= 32 {
		var k uint64
		for range n {
			if r.Float64() < p {
				k++
			}
		}
		return k
	}
	mean := float64(n) * p
	v := math.Round(mean + math.Sqrt(mean*(1-p))*r.NormFloat64())
	switch {
	case v < 0:
		return 0
	case v > float64(n):
		return n
	}
	return uint64(v)
}
