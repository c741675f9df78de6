namespace StatefunOperator.Sdk;

/// <summary>The expiry modes of the protocol (<c>ExpirationSpec.ExpireMode</c>).</summary>
public enum ExpirationMode
{
    None = 0,
    AfterWrite = 1,
    AfterCall = 2,
}
