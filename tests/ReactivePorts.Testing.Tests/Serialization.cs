using System.Runtime.Serialization;
using System.Text;
using System.Xml;

namespace ReactivePorts.Testing.Tests;

/// <summary>
/// Round trips through <see cref="DataContractSerializer"/>, which writes a <c>[Serializable]</c>
/// type as its fields by name: the serialized shape that Microsoft.Reactive.Testing keeps stable.
/// </summary>
internal static class Serialization
{
    public static string ToXml<T>(T value)
    {
        var sb = new StringBuilder();
        using (var writer = XmlWriter.Create(sb))
        {
            new DataContractSerializer(typeof(T)).WriteObject(writer, value);
        }

        return sb.ToString();
    }

    public static T FromXml<T>(string xml)
    {
        using var reader = XmlReader.Create(new StringReader(xml));
        return (T)new DataContractSerializer(typeof(T)).ReadObject(reader)!;
    }
}
