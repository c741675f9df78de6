using Xunit.Abstractions;
using ExpireMode = StatefunOperator.Runtime.Protocol.FromFunction.Types.ExpirationSpec.Types.ExpireMode;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>
/// S4 through a function host (in-process, role all, on the test broker): the function declares its state
/// with an expiration in its incomplete-invocation-context answer; the host sends an expired value no more. The
/// function speaks the protocol by hand ("protocol") or is written with the C# SDK and served by Kestrel ("sdk").
/// </summary>
public sealed class ExpirationHostTests
{
    private const long ExpireAfterMs = 3_000;
    private readonly ITestOutputHelper _output;

    public ExpirationHostTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Theory]
    [InlineData("protocol")]
    [InlineData("sdk")]
    public async Task S4_ExpireAfterWrite_ValueIsThereAfterItsWrite_AndGone5sAfterIt(string function)
    {
        await using var run = await ExpiringFunctionRun.StartAsync(ExpireMode.AfterWrite, ExpireAfterMs, function);
        var written = await run.CallAsync("write:1", TimeSpan.Zero);
        var early = await run.CallAsync("read", TimeSpan.FromMilliseconds(1_000), after: written.At);
        var late = await run.CallAsync("read", TimeSpan.FromMilliseconds(5_000), after: written.At);

        _output.WriteLine($"read {(early.At - written.At).TotalMilliseconds:0} ms after the write: {early.Value ?? "none"}; {(late.At - written.At).TotalMilliseconds:0} ms after: {late.Value ?? "none"}");
        Assert.True(early.At - written.At < TimeSpan.FromMilliseconds(ExpireAfterMs - 300), "the first read came too late to see the value; the machine is too slow for this test");
        Assert.True(late.At - written.At >= TimeSpan.FromMilliseconds(5_000));
        Assert.Equal("1", early.Value);
        Assert.Null(late.Value);
    }

    [Theory]
    [InlineData("protocol")]
    [InlineData("sdk")]
    public async Task S4_ExpireAfterCall_ValueLivesWhileCalledEvery1500ms_AndIsGoneAfterA4500msPause(string function)
    {
        await using var run = await ExpiringFunctionRun.StartAsync(ExpireMode.AfterInvoke, ExpireAfterMs, function);
        var last = await run.CallAsync("write:1", TimeSpan.Zero);
        var start = last.At;
        for (var i = 0; i < 4; i++)
        {
            var read = await run.CallAsync("read", TimeSpan.FromMilliseconds(1_500), after: last.At, byThen: true);
            Assert.True(read.At - last.At < TimeSpan.FromMilliseconds(ExpireAfterMs - 300), $"call {i + 1} came {(read.At - last.At).TotalMilliseconds:0} ms after the previous one; the machine is too slow for this test");
            Assert.Equal("1", read.Value);
            last = read;
        }

        var paused = await run.CallAsync("read", TimeSpan.FromMilliseconds(4_500), after: last.At);
        _output.WriteLine($"the value lived {(last.At - start).TotalMilliseconds:0} ms while called every ~1.5 s; after a {(paused.At - last.At).TotalMilliseconds:0} ms pause: {paused.Value ?? "none"}");
        Assert.True(paused.At - last.At >= TimeSpan.FromMilliseconds(4_500));
        Assert.Null(paused.Value);
    }
}
