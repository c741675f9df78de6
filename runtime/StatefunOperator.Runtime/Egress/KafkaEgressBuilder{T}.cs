using System.Collections.ObjectModel;
using System.Globalization;
using StatefunOperator.Module.Model;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.Configuration;

namespace StatefunOperator.Runtime.Egress;

/// <summary>Builds a <see cref="KafkaEgressSpec{T}"/>; <see cref="Build"/> validates it with field-naming messages.</summary>
public sealed class KafkaEgressBuilder<T>
{
    private readonly EgressIdentifier<T> _id;
    private readonly Dictionary<string, string> _properties = new(StringComparer.Ordinal);
    private string? _address;
    private IKafkaEgressSerializer<T>? _serializer;
    private KafkaProducerSemantic _semantic = KafkaProducerSemantic.AtLeastOnce;
    private TimeSpan _transactionTimeout = KafkaEgressOptions.DefaultTransactionTimeout;

    internal KafkaEgressBuilder(EgressIdentifier<T> id)
    {
        _id = id ?? throw new ArgumentNullException(nameof(id));
    }

    public KafkaEgressBuilder<T> WithKafkaAddress(string address)
    {
        _address = address;
        return this;
    }

    public KafkaEgressBuilder<T> WithSerializer(IKafkaEgressSerializer<T> serializer)
    {
        _serializer = serializer;
        return this;
    }

    public KafkaEgressBuilder<T> WithSerializer<TSerializer>()
        where TSerializer : IKafkaEgressSerializer<T>, new() => WithSerializer(new TSerializer());

    public KafkaEgressBuilder<T> WithNoProducerSemantics()
    {
        _semantic = KafkaProducerSemantic.None;
        return this;
    }

    public KafkaEgressBuilder<T> WithAtLeastOnceProducerSemantics()
    {
        _semantic = KafkaProducerSemantic.AtLeastOnce;
        return this;
    }

    public KafkaEgressBuilder<T> WithExactlyOnceProducerSemantics(TimeSpan transactionTimeout)
    {
        _semantic = KafkaProducerSemantic.ExactlyOnce;
        _transactionTimeout = transactionTimeout;
        return this;
    }

    /// <summary>Kafka producer properties; named settings (address, semantic) win over the same keys here.</summary>
    public KafkaEgressBuilder<T> WithProperties(IEnumerable<KeyValuePair<string, string>> properties)
    {
        foreach (var (key, value) in properties)
        {
            _properties[key] = value;
        }

        return this;
    }

    public KafkaEgressBuilder<T> WithProperty(string key, string value)
    {
        _properties[key] = value;
        return this;
    }

    public KafkaEgressSpec<T> Build()
    {
        var spec = new KafkaEgressSpec<T>(
            _id,
            _address ?? string.Empty,
            _serializer ?? throw new ModuleConfigurationException([$"egress {_id}: serializer: none set; call WithSerializer"]),
            _semantic,
            _transactionTimeout,
            new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(_properties, StringComparer.Ordinal)));
        var problems = KafkaEgressRules.Validate(ToDefinition(spec.ToOptions())).Select(p => $"egress {_id}: {p}").ToList();
        return problems.Count == 0 ? spec : throw new ModuleConfigurationException(problems);
    }

    /// <summary>The module model of what was built: the same one validation as module YAML and custom resources.</summary>
    private static KafkaEgressDefinition ToDefinition(KafkaEgressOptions egress) => new()
    {
        Id = egress.Id.ToString(),
        Address = egress.Address,
        DeliverySemantic = new DeliverySemanticDefinition
        {
            Type = KafkaProducerSemantics.Name(egress.Semantic),
            TransactionTimeoutMillis = egress.Semantic == KafkaProducerSemantic.ExactlyOnce
                ? ((long)egress.TransactionTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)
                : null,
        },
        Properties = egress.Properties.ToList(),
    };
}
