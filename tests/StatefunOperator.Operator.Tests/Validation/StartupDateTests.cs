using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Tests.Validation;

public class StartupDateTests
{
    [Fact]
    public void ParsesTheDocumentedExample_AsUtc()
    {
        Assert.True(StartupDate.TryParse("2020-02-01 04:15:00.000 Z", out var value, out _));
        Assert.Equal(new DateTimeOffset(2020, 2, 1, 4, 15, 0, TimeSpan.Zero), value);
    }

    [Fact]
    public void Offsets_ShiftTheInstant()
    {
        Assert.True(StartupDate.TryParse("2020-02-01 05:15:00.5 +01:00", out var value, out _));
        Assert.Equal(new DateTimeOffset(2020, 2, 1, 4, 15, 0, 500, TimeSpan.Zero), value.ToUniversalTime());
    }

    [Fact]
    public void Problem_SaysTheExpectedFormat()
    {
        Assert.False(StartupDate.TryParse("01.02.2020", out _, out var problem));
        Assert.Contains("yyyy-MM-dd HH:mm:ss.SSS z", problem, StringComparison.Ordinal);
    }
}
