using Xunit.Abstractions;
using Xunit.Sdk;

namespace StatefunOperator.Testing.Kafka;

/// <summary>Gives every <see cref="RealBrokerFactAttribute"/> test the trait <c>Category=RealBroker</c>.</summary>
public sealed class RealBrokerTraitDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        yield return new KeyValuePair<string, string>("Category", RealBrokerFactAttribute.Category);
    }
}
