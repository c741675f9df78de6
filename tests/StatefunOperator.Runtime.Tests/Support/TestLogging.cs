using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace StatefunOperator.Runtime.Tests.Support;

/// <summary>Silent by default; <c>STATEFUN_TEST_LOG=1</c> writes the runtime's logs to the console.</summary>
internal static class TestLogging
{
    private static readonly ILoggerFactory Factory = Environment.GetEnvironmentVariable("STATEFUN_TEST_LOG") == "1"
        ? LoggerFactory.Create(b => b.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        }).SetMinimumLevel(LogLevel.Debug))
        : NullLoggerFactory.Instance;

    public static ILoggerFactory Loggers => Factory;

    public static ILogger Logger(string name) => Factory.CreateLogger(name);
}
