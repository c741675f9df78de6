namespace StatefunOperator.Sdk.Tests;

/// <summary>
/// The primitive types are byte for byte what the other SDKs write (io.statefun.sdk.types wrappers: bool varint,
/// int sfixed32, float, long sfixed64, double, string; a default value is an empty message), so values cross
/// languages through state and messages.
/// </summary>
public class TypesTests
{
    [Fact]
    public void PrimitiveTypes_AreNamedAsInTheOtherSdks()
    {
        Assert.Equal("io.statefun.types/int", Types.Int.TypeName.ToString());
        Assert.Equal("io.statefun.types/long", Types.Long.TypeName.ToString());
        Assert.Equal("io.statefun.types/string", Types.String.TypeName.ToString());
        Assert.Equal("io.statefun.types/bool", Types.Bool.TypeName.ToString());
        Assert.Equal("io.statefun.types/float", Types.Float.TypeName.ToString());
        Assert.Equal("io.statefun.types/double", Types.Double.TypeName.ToString());
    }

    [Fact]
    public void PrimitiveTypes_WriteTheWrapperBytes()
    {
        Assert.Equal(new byte[] { 0x0D, 0x05, 0x00, 0x00, 0x00 }, Types.Int.Serialize(5));
        Assert.Equal(new byte[] { 0x0D, 0xFF, 0xFF, 0xFF, 0xFF }, Types.Int.Serialize(-1));
        Assert.Equal(new byte[] { 0x09, 0x07, 0, 0, 0, 0, 0, 0, 0 }, Types.Long.Serialize(7));
        Assert.Equal(new byte[] { 0x0A, 0x02, (byte)'h', (byte)'i' }, Types.String.Serialize("hi"));
        Assert.Equal(new byte[] { 0x08, 0x01 }, Types.Bool.Serialize(true));
        Assert.Equal(new byte[] { 0x0D, 0x00, 0x00, 0xC0, 0x3F }, Types.Float.Serialize(1.5f));
        Assert.Equal(new byte[] { 0x09, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F }, Types.Double.Serialize(1.5));
        Assert.Empty(Types.Int.Serialize(0));
        Assert.Empty(Types.String.Serialize(""));
        Assert.Empty(Types.Bool.Serialize(false));
    }

    [Fact]
    public void PrimitiveTypes_RoundTrip_AndReadTheEmptyMessageAsTheDefault()
    {
        Assert.Equal(int.MinValue, Types.Int.Deserialize(Types.Int.Serialize(int.MinValue)));
        Assert.Equal(long.MaxValue, Types.Long.Deserialize(Types.Long.Serialize(long.MaxValue)));
        Assert.Equal("grüße", Types.String.Deserialize(Types.String.Serialize("grüße")));
        Assert.Equal(-2.25, Types.Double.Deserialize(Types.Double.Serialize(-2.25)));
        Assert.Equal(0, Types.Int.Deserialize([]));
        Assert.Equal("", Types.String.Deserialize([]));
    }

    [Fact]
    public void JsonTypes_UseTheirOwnName_AndUtf8Json()
    {
        var type = Types.Json<UserRecord>("com.example/User");
        Assert.Equal("com.example/User", type.TypeName.ToString());
        var bytes = type.Serialize(new UserRecord("Alice", 3));
        Assert.Equal("""{"name":"Alice","visits":3}""", System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal(new UserRecord("Alice", 3), type.Deserialize(bytes));
    }

    [Fact]
    public void ProtobufTypes_AreNamedAfterTheMessage()
    {
        var type = Types.Protobuf<Google.Protobuf.WellKnownTypes.Duration>();
        Assert.Equal("type.googleapis.com/google.protobuf.Duration", type.TypeName.ToString());
        var value = new Google.Protobuf.WellKnownTypes.Duration { Seconds = 90 };
        Assert.Equal(value, type.Deserialize(type.Serialize(value)));
    }

    [Theory]
    [InlineData("example/greeter", "example", "greeter")]
    [InlineData("com.example.fns/user", "com.example.fns", "user")]
    [InlineData("type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord", "type.googleapis.com", "io.statefun.sdk.egress.KafkaProducerRecord")]
    [InlineData("a/b/c", "a/b", "c")]
    public void TypeNames_SplitAtTheLastSlash(string text, string ns, string name)
    {
        var typeName = TypeName.Parse(text);
        Assert.Equal((ns, name), (typeName.Namespace, typeName.Name));
        Assert.Equal(text, typeName.ToString());
    }

    [Theory]
    [InlineData("greeter")]
    [InlineData("/greeter")]
    [InlineData("example/")]
    public void TypeNames_WithoutBothParts_AreRefused(string text) =>
        Assert.Throws<FormatException>(() => TypeName.Parse(text));

    public sealed record UserRecord(string Name, int Visits);
}
