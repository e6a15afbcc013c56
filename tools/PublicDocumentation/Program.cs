using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Xml;
using System.Xml.Linq;

// Keeps, in a compiler-written XML documentation file, only the members a user of the assembly can see: public types
// and their public and protected members. The C# compiler writes every documented member, internal and private
// included, and has no option to stop (dotnet/roslyn#12485); the file that ships in the package is for its users.
// Visibility comes from the compiled assembly's metadata and the ids are written the way the compiler writes them
// (ECMA-334 annex D), so nothing lists the API a second time. The file is rewritten only when it changes.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: PublicDocumentation ASSEMBLY.dll DOCUMENTATION.xml");
    return 2;
}

HashSet<string> visible;
using (FileStream stream = File.OpenRead(args[0]))
using (var pe = new PEReader(stream))
{
    visible = VisibleMembers.Ids(pe.GetMetadataReader());
}

string original = File.ReadAllText(args[1]);
XDocument document = XDocument.Parse(original);
XElement members = document.Root!.Element("members")!;
List<XElement> hidden = [.. members.Elements("member").Where(m => !visible.Contains((string)m.Attribute("name")!))];
foreach (XElement member in hidden)
{
    member.Remove();
}

var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
var buffer = new MemoryStream();
using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Indent = true, IndentChars = "    ", Encoding = utf8 }))
{
    document.Save(writer);
}

string filtered = utf8.GetString(buffer.ToArray());
if (filtered != original)
{
    File.WriteAllText(args[1], filtered, utf8);
}

Console.WriteLine($"{Path.GetFileName(args[1])}: {members.Elements("member").Count()} public members documented, {hidden.Count} others left out.");
return 0;

/// <summary>The documentation ids of every externally visible type and member of an assembly.</summary>
internal static class VisibleMembers
{
    public static HashSet<string> Ids(MetadataReader reader)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var names = new DocumentationNames(reader);
        foreach (TypeDefinitionHandle handle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            if (!IsVisible(reader, type))
            {
                continue;
            }

            string typeName = names.Definition(handle);
            ids.Add("T:" + typeName);
            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                MethodDefinition method = reader.GetMethodDefinition(methodHandle);
                if (IsVisible(method.Attributes))
                {
                    ids.Add("M:" + typeName + "." + MethodId(reader, names, method));
                }
            }

            foreach (PropertyDefinitionHandle propertyHandle in type.GetProperties())
            {
                PropertyDefinition property = reader.GetPropertyDefinition(propertyHandle);
                PropertyAccessors accessors = property.GetAccessors();
                if (IsVisible(reader, accessors.Getter) || IsVisible(reader, accessors.Setter))
                {
                    MethodSignature<string> signature = property.DecodeSignature(names, null);
                    ids.Add("P:" + typeName + "." + MemberName(reader.GetString(property.Name)) + Parameters(signature.ParameterTypes));
                }
            }

            foreach (FieldDefinitionHandle fieldHandle in type.GetFields())
            {
                FieldDefinition field = reader.GetFieldDefinition(fieldHandle);
                if ((field.Attributes & FieldAttributes.FieldAccessMask) is FieldAttributes.Public or FieldAttributes.Family or FieldAttributes.FamORAssem)
                {
                    ids.Add("F:" + typeName + "." + reader.GetString(field.Name));
                }
            }

            foreach (EventDefinitionHandle eventHandle in type.GetEvents())
            {
                EventDefinition @event = reader.GetEventDefinition(eventHandle);
                if (IsVisible(reader, @event.GetAccessors().Adder))
                {
                    ids.Add("E:" + typeName + "." + reader.GetString(@event.Name));
                }
            }
        }

        return ids;
    }

    private static string MethodId(MetadataReader reader, DocumentationNames names, MethodDefinition method)
    {
        string name = reader.GetString(method.Name);
        MethodSignature<string> signature = method.DecodeSignature(names, null);
        var id = new StringBuilder(MemberName(name));
        if (signature.GenericParameterCount > 0)
        {
            id.Append("``").Append(signature.GenericParameterCount);
        }

        id.Append(Parameters(signature.ParameterTypes));
        if (name is "op_Implicit" or "op_Explicit")
        {
            id.Append('~').Append(signature.ReturnType);
        }

        return id.ToString();
    }

    private static string MemberName(string name) => name switch
    {
        ".ctor" => "#ctor",
        ".cctor" => "#cctor",
        _ => name.Replace('.', '#').Replace('<', '{').Replace('>', '}').Replace(',', '@'),
    };

    private static string Parameters(ImmutableArray<string> types) => types.IsEmpty ? "" : "(" + string.Join(",", types) + ")";

    private static bool IsVisible(MethodAttributes attributes) =>
        (attributes & MethodAttributes.MemberAccessMask) is MethodAttributes.Public or MethodAttributes.Family or MethodAttributes.FamORAssem;

    private static bool IsVisible(MetadataReader reader, MethodDefinitionHandle handle) =>
        !handle.IsNil && IsVisible(reader.GetMethodDefinition(handle).Attributes);

    private static bool IsVisible(MetadataReader reader, TypeDefinition type) => (type.Attributes & TypeAttributes.VisibilityMask) switch
    {
        TypeAttributes.Public => true,
        TypeAttributes.NestedPublic or TypeAttributes.NestedFamily or TypeAttributes.NestedFamORAssem =>
            IsVisible(reader, reader.GetTypeDefinition(type.GetDeclaringType())),
        _ => false,
    };

    /// <summary>Type names as documentation ids write them: System.Int32, Ns.Outer.Inner, System.ReadOnlySpan{System.Byte}, `0, ``0.</summary>
    private sealed class DocumentationNames(MetadataReader reader) : ISignatureTypeProvider<string, object?>
    {
        public string Definition(TypeDefinitionHandle handle)
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            string name = reader.GetString(type.Name);
            TypeDefinitionHandle declaring = type.GetDeclaringType();
            if (!declaring.IsNil)
            {
                return Definition(declaring) + "." + name;
            }

            string ns = reader.GetString(type.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode;

        public string GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind) => Definition(handle);

        public string GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind)
        {
            TypeReference type = metadata.GetTypeReference(handle);
            string name = metadata.GetString(type.Name);
            if (type.ResolutionScope.Kind == HandleKind.TypeReference)
            {
                return GetTypeFromReference(metadata, (TypeReferenceHandle)type.ResolutionScope, rawTypeKind) + "." + name;
            }

            string ns = metadata.GetString(type.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        public string GetTypeFromSpecification(MetadataReader metadata, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            metadata.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
        {
            int arity = genericType.LastIndexOf('`');
            return (arity >= 0 ? genericType[..arity] : genericType) + "{" + string.Join(",", typeArguments) + "}";
        }

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetArrayType(string elementType, ArrayShape shape)
        {
            var dimensions = new string[shape.Rank];
            for (int i = 0; i < shape.Rank; i++)
            {
                string lower = i < shape.LowerBounds.Length ? shape.LowerBounds[i].ToString(System.Globalization.CultureInfo.InvariantCulture) : "0";
                string size = i < shape.Sizes.Length ? shape.Sizes[i].ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
                dimensions[i] = lower + ":" + size;
            }

            return elementType + "[" + string.Join(",", dimensions) + "]";
        }

        public string GetByReferenceType(string elementType) => elementType + "@";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPinnedType(string elementType) => elementType;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetGenericTypeParameter(object? genericContext, int index) => "`" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public string GetGenericMethodParameter(object? genericContext, int index) => "``" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public string GetFunctionPointerType(MethodSignature<string> signature) => "=FUNC:" + signature.ReturnType + Parameters(signature.ParameterTypes);
    }
}
