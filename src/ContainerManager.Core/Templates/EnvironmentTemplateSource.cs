namespace ContainerManager.Core.Templates;

/// <summary>Kind of input an environment template was created or last replaced from.</summary>
public enum EnvironmentTemplateSource
{
    /// <summary>A .env file; the template keeps the file's full path.</summary>
    File,

    /// <summary>.env text given directly.</summary>
    Text,

    /// <summary>A hashtable of names and values, stored as generated .env text.</summary>
    Hashtable,
}
