namespace StatefunOperator.Operator.Tests.Benchmarks;

/// <summary>A benchmark: it runs when STATEFUN_BENCH=1 (scripts/kube-bench.sh, `make bench`) and says so when it does not.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("STATEFUN_BENCH") != "1")
        {
            Skip = "Benchmark: run it with scripts/kube-bench.sh (make bench), which sets STATEFUN_BENCH=1.";
        }
    }
}
