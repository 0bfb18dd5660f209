import mpmath
mpmath.mp.dps = 40
def a_mp(sigma, q, alpha):
    mu0 = lambda x: mpmath.npdf(x, mu=0, sigma=sigma)
    ratio = lambda x: (1 - q) + q * mpmath.exp((2 * x - 1) / (2 * sigma**2))
    f = lambda z: mu0(z) * ratio(z) ** alpha
    return mpmath.quad(f, [-mpmath.inf, -50*sigma, -10*sigma, 0, 0.5, 1, 10*sigma, 50*sigma, mpmath.inf], maxdegree=10)
for q, s, a in [(1e-4, 1.0, 1.5), (1e-3, 1.0, 2), (0.01, 10, 20), (0.1, 100, 20.5), (0.01, 2.5, 1.5), (0.01, 2.5, 2.5), (0.04, 1.5, 3.7), (0.04, 1.5, 12)]:
    q = mpmath.mpf(q); s = mpmath.mpf(s); a = mpmath.mpf(a)
    print(float(q), float(s), float(a), mpmath.nstr(mpmath.log(a_mp(s, q, a)), 20))
