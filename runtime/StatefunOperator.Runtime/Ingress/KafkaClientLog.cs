using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>Forwards librdkafka's log lines to an <see cref="ILogger"/> at the matching level.</summary>
public static class KafkaClientLog
{
    public static void Write(ILogger logger, LogMessage message)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(message);
        var level = message.Level switch
        {
            SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical or SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        logger.Log(level, "kafka {Facility} {Name}: {Message}", message.Facility, message.Name, message.Message);
    }
}
