using StatefunOperator.Module.Formats;

namespace StatefunOperator.Module.Tests.Formats;

public class ByteSizeTests
{
    [Theory]
    [InlineData("1", 1L)]
    [InlineData("67108864", 67108864L)]
    [InlineData("512Ki", 512L << 10)]
    [InlineData("64Mi", 64L << 20)]
    [InlineData("2Gi", 2L << 30)]
    public void KubernetesBinarySizes_Parse(string text, long expected)
    {
        Assert.True(ByteSize.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("0Ki")]
    [InlineData("-1")]
    [InlineData("64MB")]
    [InlineData("64 Mi")]
    [InlineData("1.5Gi")]
    [InlineData("9999999999999Gi")]
    [InlineData("99999999999999999999")]
    public void AnythingElse_IsRefused(string? text)
    {
        Assert.False(ByteSize.TryParse(text, out _));
    }
}
