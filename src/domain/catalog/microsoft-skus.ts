// Longer than 300 lines: generated data, one line per Microsoft SKU.
// Microsoft's SKU list for Dynamics 365 and Power Platform (skuPartNumber, skuId, display name).
// Generated from the reference list `skus.csv`: Learn "Product names and service plan identifiers for licensing"
// (mirror dated 2026-08-19), plus two SKUs found only in a Dec-2025 copy of Microsoft's CSV. Do not edit by hand:
// classification (license type, activity, prices) lives in catalog.data.ts.

export interface MicrosoftSku {
  readonly skuPartNumber: string;
  readonly skuId: string;
  readonly displayName: string;
}

export const MICROSOFT_SKUS: readonly MicrosoftSku[] = [
  {
    skuPartNumber: 'CDSAICAPACITY',
    skuId: 'd2dea78b-507c-4e56-b400-39447f4738f8',
    displayName: 'AI Builder Capacity add-on',
  },
  {
    skuPartNumber: 'CDS_DB_CAPACITY',
    skuId: 'e612d426-6bc3-4181-9658-91aa906b0ac0',
    displayName: 'Common Data Service Database Capacity',
  },
  {
    skuPartNumber: 'CDS_DB_CAPACITY_GOV',
    skuId: 'eddf428b-da0e-4115-accf-b29eb0b83965',
    displayName: 'Common Data Service Database Capacity for Government',
  },
  {
    skuPartNumber: 'CDS_FILE_CAPACITY',
    skuId: '631d5fb1-a668-4c2a-9427-8830665a742e',
    displayName: 'Common Data Service for Apps File Capacity',
  },
  {
    skuPartNumber: 'CDS_LOG_CAPACITY',
    skuId: '448b063f-9cc6-42fc-a0e6-40e08724a395',
    displayName: 'Common Data Service Log Capacity',
  },
  {
    skuPartNumber: 'MESSAGING_GCC_TEST',
    skuId: '064a9707-9dba-4cc1-9902-38bfcfda6328',
    displayName: 'Digital Messaging for GCC Test SKU',
  },
  {
    skuPartNumber: 'CRMSTORAGE',
    skuId: '328dc228-00bc-48c6-8b09-1fbc8bc3435d',
    displayName: 'Dynamics 365 - Additional Database Storage (Qualified Offer)',
  },
  {
    skuPartNumber: 'CRMTESTINSTANCE',
    skuId: 'e06abcc2-7ec5-4a79-b08b-d9c282376f72',
    displayName: 'Dynamics 365 - Additional Non-Production Instance (Qualified Offer)',
  },
  {
    skuPartNumber: 'CRMTESTINSTANCE_NOPREREQ',
    skuId: '2cf302fe-62db-4e20-b573-e0998b1208b5',
    displayName: 'Dynamics 365 - Additional Non-Production Instance for Government',
  },
  {
    skuPartNumber: 'CRMINSTANCE',
    skuId: '9d776713-14cb-4697-a21d-9a52455c738a',
    displayName: 'Dynamics 365 - Additional Production Instance (Qualified Offer)',
  },
  {
    skuPartNumber: 'SOCIAL_ENGAGEMENT_APP_USER',
    skuId: 'c6df1e30-1c9f-427f-907c-3d913474a1c7',
    displayName: 'Dynamics 365 AI for Market Insights (Preview)',
  },
  {
    skuPartNumber: 'DYN365_ASSETMANAGEMENT',
    skuId: '673afb9d-d85b-40c2-914e-7bf46cd5cd75',
    displayName: 'Dynamics 365 Asset Management Addl Assets',
  },
  {
    skuPartNumber: 'DYN365_BUSCENTRAL_ADD_ENV_ADDON',
    skuId: 'a58f5506-b382-44d4-bfab-225b2fbf8390',
    displayName: 'Dynamics 365 Business Central Additional Environment Addon',
  },
  {
    skuPartNumber: 'DYN365_BUSCENTRAL_DB_CAPACITY',
    skuId: '7d0d4f9a-2686-4cb8-814c-eff3fdab6d74',
    displayName: 'Dynamics 365 Business Central Database Capacity',
  },
  {
    skuPartNumber: 'DYN365_BUSCENTRAL_ESSENTIAL',
    skuId: '2880026b-2b0c-4251-8656-5d41ff11e3aa',
    displayName: 'Dynamics 365 Business Central Essentials',
  },
  {
    skuPartNumber: 'Dynamics_365_Business_Central_Essentials_Attach',
    skuId: '1d506c23-1702-46f1-b940-160c55f98d05',
    displayName: 'Dynamics 365 Business Central Essentials Attach',
  },
  {
    skuPartNumber: 'DYN365_FINANCIALS_ACCOUNTANT_SKU',
    skuId: '9a1e33ed-9697-43f3-b84c-1b0959dbb1d4',
    displayName: 'Dynamics 365 Business Central External Accountant',
  },
  {
    skuPartNumber: 'PROJECT_MADEIRA_PREVIEW_IW_SKU',
    skuId: '6a4a1628-9b9a-424d-bed5-4118f0ede3fd',
    displayName: 'Dynamics 365 Business Central for IWs',
  },
  {
    skuPartNumber: 'DYN365_BUSCENTRAL_PREMIUM',
    skuId: 'f991cecc-3f91-4cd0-a9a8-bf1c8167e029',
    displayName: 'Dynamics 365 Business Central Premium',
  },
  {
    skuPartNumber: 'DYN365_BUSCENTRAL_TEAM_MEMBER',
    skuId: '2e3c4023-80f6-4711-aa5d-29e0ecb46835',
    displayName: 'Dynamics 365 Business Central Team Members',
  },
  {
    skuPartNumber: 'DYN365_RETAIL',
    skuId: '79909bd8-4c69-4202-939e-11bc4385b134',
    displayName: 'Dynamics 365 Commerce',
  },
  {
    skuPartNumber: 'DYN365_RETAIL_TRIAL',
    skuId: '1508ad2d-5802-44e6-bfe8-6fb65de63d28',
    displayName: 'Dynamics 365 Commerce Trial',
  },
  {
    skuPartNumber: 'DYNAMICS_365_CONTACT_CENTER',
    skuId: 'dfb1700c-013e-4132-8bce-0d319c43a95d',
    displayName: 'Dynamics 365 Contact Center',
  },
  {
    skuPartNumber: 'DYNAMICS_365_CONTACT_CENTER_ADD_ON_FOR_CUSTOMER_SERVICE_ENTERPRISE',
    skuId: '39a78eb6-3a8a-4e1e-878a-575a5c8984e7',
    displayName: 'Dynamics 365 Contact Center Add-on for Customer Service Enterprise',
  },
  {
    skuPartNumber: 'DYNAMICS_365_CONTACT_CENTER_DIGITAL',
    skuId: '59d3d0bf-df39-4b8b-8601-ea6c09a7fd66',
    displayName: 'Dynamics 365 Contact Center Digital',
  },
  {
    skuPartNumber: 'DYNAMICS_365_CONTACT_CENTER_DIGITAL_ADD_ON_FOR_CUSTOMER_SERVICE_ENTERPRISE',
    skuId: '7e6e6091-1680-4532-9370-6cd4598483ac',
    displayName: 'Dynamics 365 Contact Center Digital Add-on for Customer Service Enterprise',
  },
  {
    skuPartNumber: 'DYNAMICS_365_CONTACT_CENTER_VOICE',
    skuId: '79e2368c-4568-48d5-a352-b0344afabcf8',
    displayName: 'Dynamics 365 Contact Center Voice',
  },
  {
    skuPartNumber: 'DYNAMICS_365_CONTACT_CENTER_VOICE_ADD_ON_FOR_CUSTOMER_SERVICE_ENTERPRISE',
    skuId: '73e8b747-20bf-463d-8ffd-274a7d65d0bc',
    displayName: 'Dynamics 365 Contact Center Voice Add-on for Customer Service Enterprise',
  },
  {
    skuPartNumber: 'DYN365_CUSTOMER_INSIGHTS_ATTACH',
    skuId: 'a3d0cd86-8068-4071-ad40-4dc5b5908c4b',
    displayName: 'Dynamics 365 Customer Insights Attach',
  },
  {
    skuPartNumber: 'Dynamics_365_Customer_Insights_Attach_New',
    skuId: 'ff22b8d4-5073-4b24-ba45-84ad5d9b6642',
    displayName: 'Dynamics 365 Customer Insights Attach',
  },
  {
    skuPartNumber: 'Dynamics_365_Customer_Insights_Journeys_T3_Interacted_People',
    skuId: '05735051-46c0-4c84-9107-bb13d77d0b88',
    displayName: 'Dynamics 365 Customer Insights Journeys T3 Interacted People',
  },
  {
    skuPartNumber: 'DYN365_CUSTOMER_INSIGHTS_BASE',
    skuId: '0c250654-c7f7-461f-871a-7222f6592cf2',
    displayName: 'Dynamics 365 Customer Insights Standalone',
  },
  {
    skuPartNumber: 'Dynamics_365_Customer_Insights_User_License',
    skuId: '12b5a442-a6f2-49e4-868b-2d7408c2356f',
    displayName: 'Dynamics 365 Customer Insights User License',
  },
  {
    skuPartNumber: 'DYN365_CUSTOMER_INSIGHTS_VIRAL',
    skuId: '036c2481-aa8a-47cd-ab43-324f0c157c2d',
    displayName: 'Dynamics 365 Customer Insights vTrial',
  },
  {
    skuPartNumber: 'DYN365_CS_OC_MESSAGING_VOICE_GOV',
    skuId: '6ec542c9-2a86-4d4a-8a52-d233eb58ef0a',
    displayName: 'Dynamics 365 Customer Service Digital Messaging and Voice Add-in for Government',
  },
  {
    skuPartNumber: 'DYN365_CS_OC_MESSAGING_VOICE_GOV_TEST',
    skuId: 'ea9ba490-50b8-474e-8671-9fec0f1268f3',
    displayName: 'Dynamics 365 Customer Service Digital Messaging and Voice Add-in for Government for Test',
  },
  {
    skuPartNumber: 'Dynamics_365_Customer_Service_Digital_Messaging_Partner_Sandbox',
    skuId: 'aeb8c883-d700-4aa1-8719-402b5adf2949',
    displayName: 'Dynamics 365 Customer Service Digital Messaging Partner Sandbox',
  },
  {
    skuPartNumber: 'Dynamics_365_Customer_Service_Enterprise_admin_trial',
    skuId: '94a6fbd4-6a2f-4990-b356-dc7dd8bed08a',
    displayName: 'Dynamics 365 Customer Service Enterprise Admin',
  },
  {
    skuPartNumber: 'Dynamics_365_Customer_Service_Enterprise_viral_trial',
    skuId: '1e615a51-59db-4807-9957-aa83c3657351',
    displayName: 'Dynamics 365 Customer Service Enterprise Viral Trial',
  },
  {
    skuPartNumber: 'DYN365_AI_SERVICE_INSIGHTS',
    skuId: '61e6bd70-fbdb-4deb-82ea-912842f39431',
    displayName: 'Dynamics 365 Customer Service Insights Trial',
  },
  {
    skuPartNumber: 'DYN365_CUSTOMER_SERVICE_PRO',
    skuId: '1439b6e2-5d59-4873-8c59-d60e2a196e92',
    displayName: 'Dynamics 365 Customer Service Professional',
  },
  {
    skuPartNumber: 'DYN365_CS_VOICE',
    skuId: 'dadd2312-b5b1-4fa0-8c15-0903de3e2303',
    displayName: 'Dynamics 365 Customer Service Voice Channel Add-in',
  },
  {
    skuPartNumber: 'DYN365_CUSTOMER_VOICE_BASE',
    skuId: '359ea3e6-8130-4a57-9f8f-ad897a0342f1',
    displayName: 'Dynamics 365 Customer Voice',
  },
  {
    skuPartNumber: 'Forms_Pro_AddOn',
    skuId: '446a86f8-a0cb-4095-83b3-d100eb050e3d',
    displayName: 'Dynamics 365 Customer Voice Additional Responses',
  },
  {
    skuPartNumber: 'DYN365_CUSTOMER_VOICE_ADDON',
    skuId: '65f71586-ade3-4ce1-afc0-1b452eaf3782',
    displayName: 'Dynamics 365 Customer Voice Additional Responses',
  },
  {
    skuPartNumber: 'FORMS_PRO',
    skuId: 'bc946dac-7877-4271-b2f7-99d2db13cd2c',
    displayName: 'Dynamics 365 Customer Voice Trial',
  },
  {
    skuPartNumber: 'Forms_Pro_USL',
    skuId: 'e2ae107b-a571-426f-9367-6d4c8f1390ba',
    displayName: 'Dynamics 365 Customer Voice USL',
  },
  {
    skuPartNumber: 'CRMSTORAGE_GCC',
    skuId: '4aed5dd6-eb9c-4143-8f14-368d70287121',
    displayName: 'Dynamics 365 Enterprise Edition - Additional Database Storage for Government',
  },
  {
    skuPartNumber: 'CRMTESTINSTANCE_GCC',
    skuId: '1d2756cb-2147-4b05-b4d5-f013c022dcb9',
    displayName: 'Dynamics 365 Enterprise Edition - Additional Non-Production Instance for Government',
  },
  {
    skuPartNumber: 'CRM_ONLINE_PORTAL',
    skuId: 'a4bfb28e-becc-41b0-a454-ac680dc258d3',
    displayName: 'Dynamics 365 Enterprise Edition - Additional Portal (Qualified Offer)',
  },
  {
    skuPartNumber: 'CRM_ONLINE_PORTAL_GCC',
    skuId: 'cb9bc974-a47b-4123-998d-a383390168cc',
    displayName: 'Dynamics 365 Enterprise Edition - Additional Portal for Government',
  },
  {
    skuPartNumber: 'CRM_ONLINE_PORTAL_NOPREREQ',
    skuId: '67f58b51-af53-4344-9663-9a2beb1d8a8e',
    displayName: 'Dynamics 365 Enterprise Edition - Additional Portal for Government',
  },
  {
    skuPartNumber: 'CRMINSTANCE_GCC',
    skuId: '2bd3cb20-1bb6-446b-b4d0-089af3a05c52',
    displayName: 'Dynamics 365 Enterprise Edition - Additional Production Instance for Government',
  },
  {
    skuPartNumber: 'D365_FIELD_SERVICE_CONTRACTOR',
    skuId: '23e6e135-e869-4ce4-9ae4-5710cd69ac13',
    displayName: 'Dynamics 365 Field Service Contractor',
  },
  {
    skuPartNumber: 'D365_FIELD_SERVICE_CONTRACTOR_GOV',
    skuId: 'e7965e3a-1f49-4d67-a3de-ad1ce460bbcc',
    displayName: 'Dynamics 365 Field Service Contractor for Government',
  },
  {
    skuPartNumber: 'Dynamics_365_Field_Service_Enterprise_viral_trial',
    skuId: '29fcd665-d8d1-4f34-8eed-3811e3fca7b3',
    displayName: 'Dynamics 365 Field Service Viral Trial',
  },
  {
    skuPartNumber: 'CRM_AUTO_ROUTING_ADDON',
    skuId: '977464c4-bfaf-4b67-b761-a9bb735a2196',
    displayName: 'Dynamics 365 Field Service, Enterprise Edition - Resource Scheduling Optimization',
  },
  {
    skuPartNumber: 'DYN365_FINANCE',
    skuId: '55c9eb4e-c746-45b4-b255-9ab6b19d5c62',
    displayName: 'Dynamics 365 Finance',
  },
  {
    skuPartNumber: 'DYN365_FINANCE_ATTACH_ISVEMB_PROJOPS',
    skuId: 'db5bd06c-b99a-4c54-98e9-90fea5164c88',
    displayName: 'Dynamics 365 Finance Attach to Qualifying Base Offer Embedded with Project Management & Accounting',
  },
  {
    skuPartNumber: 'DYN365_ENTERPRISE_CASE_MANAGEMENT',
    skuId: 'd39fb075-21ae-42d0-af80-22a2599749e0',
    displayName: 'Dynamics 365 for Case Management Enterprise Edition',
  },
  {
    skuPartNumber: 'D365_ENTERPRISE_CASE_MANAGEMENT_GOV',
    skuId: '5cd0b796-9ac8-4792-9f0b-796ca9044e4a',
    displayName: 'Dynamics 365 for Case Management, Enterprise Edition for Government',
  },
  {
    skuPartNumber: 'DYN365_ENTERPRISE_CASE_MANAGEMENT_GOV',
    skuId: 'ff5a82be-1edd-4d48-94e0-52527825b589',
    displayName: 'Dynamics 365 for Case Management, Enterprise Edition for Government',
  },
  {
    skuPartNumber: 'DYN365_CS_CHAT',
    skuId: '7d7af6c2-0be6-46df-84d1-c181b0272909',
    displayName: 'Dynamics 365 for Customer Service Chat',
  },
  {
    skuPartNumber: 'DYN365_CS_CHAT_GOV',
    skuId: '1b399f66-be2a-479c-a79d-84a43a46f79e',
    displayName: 'Dynamics 365 for Customer Service Chat for Government',
  },
  {
    skuPartNumber: 'DYN365_CS_MESSAGING_GOV',
    skuId: '336dfe1f-3b33-4ab4-b395-cba8f614976d',
    displayName: 'Dynamics 365 for Customer Service Digital Messaging add-on for Government',
  },
  {
    skuPartNumber: 'D365_CUSTOMER_SERVICE_ENT_ATTACH',
    skuId: 'eb18b715-ea9d-4290-9994-2ebf4b5042d2',
    displayName: 'Dynamics 365 for Customer Service Enterprise Attach to Qualifying Dynamics 365 Base Offer A',
  },
  {
    skuPartNumber: 'DYN365_ENTERPRISE_CUSTOMER_SERVICE',
    skuId: '749742bf-0d37-4158-a120-33567104deeb',
    displayName: 'Dynamics 365 for Customer Service Enterprise Edition',
  },
  {
    skuPartNumber: 'D365_ENTERPRISE_CUSTOMER_SERVICE_GOV',
    skuId: '65758a5f-2e16-43b3-a8cb-296cd8f69e09',
    displayName: 'Dynamics 365 for Customer Service Enterprise for Government',
  },
  {
    skuPartNumber: 'D365_CUSTOMER_SERVICE_PRO_ATTACH',
    skuId: '19dec69d-d9f3-4792-8a39-d8ecdf51937b',
    displayName: 'Dynamics 365 for Customer Service Professional Attach to Qualifying Dynamics 365 Base Offer',
  },
  {
    skuPartNumber: 'DYN365_ENTERPRISE_CUSTOMER_SERVICE_GOV',
    skuId: '3c74d823-8f01-4fe8-82d5-f089a5504cec',
    displayName: 'Dynamics 365 for Customer Service, Enterprise Edition for Government',
  },
  {
    skuPartNumber: 'D365_FIELD_SERVICE_ATTACH',
    skuId: 'a36cdaa2-a806-4b6e-9ae0-28dbd993c20e',
    displayName: 'Dynamics 365 for Field Service Attach to Qualifying Dynamics 365 Base Offer',
  },
  {
    skuPartNumber: 'DYN365_ENTERPRISE_FIELD_SERVICE',
    skuId: 'c7d15985-e746-4f01-b113-20b575898250',
    displayName: 'Dynamics 365 for Field Service Enterprise Edition',
  },
  {
    skuPartNumber: 'DYN365_ENTERPRISE_FIELD_SERVICE_GOV',
    skuId: 'c3d74ead-70b7-4513-8dce-797be3fbe07a',
    displayName: 'Dynamics 365 for Field Service Enterprise Edition for Government',
  },
  {
    skuPartNumber: 'D365_ENTERPRISE_FIELD_SERVICE_GOV',
    skuId: '8eac9119-7e6b-4278-9dc4-e3458993b08a',
    displayName: 'Dynamics 365 for Field Service for Government',
  },
  {
    skuPartNumber: 'DYN365_FINANCE_ATTACH',
    skuId: 'd721f2e4-099b-4105-b40e-872e46cad402',
    displayName: 'Dynamics 365 for Finance Attach to Qualifying Dynamics 365 Base Offer',
  },
  {
    skuPartNumber: 'DYN365_FINANCIALS_BUSINESS_SKU',
    skuId: 'cc13a803-544e-4464-b4e4-6d6169a138fa',
    displayName: 'Dynamics 365 for Financials Business Edition',
  },
  {
    skuPartNumber: 'DYN365_MARKETING_APPLICATION_ADDON',
    skuId: '99c5688b-6c75-4496-876f-07f0fbd69add',
    displayName: 'Dynamics 365 for Marketing Additional Application',
  },
  {
    skuPartNumber: 'DYN365_MARKETING_CONTACT_ADDON_T3',
    skuId: '23053933-0fda-431f-9a5b-a00fd78444c1',
    displayName: 'Dynamics 365 for Marketing Additional Contacts Tier 3',
  },
  {
    skuPartNumber: 'DYN365_MARKETING_SANDBOX_APPLICATION_ADDON',
    skuId: 'c393e9bd-2335-4b46-8b88-9e2a86a85ec1',
    displayName: 'Dynamics 365 for Marketing Additional Non-Prod Application',
  },
  {
    skuPartNumber: 'DYN365_MARKETING_CONTACT_ADDON',
    skuId: 'fc4581aa-6b1f-459d-95b6-84bd49d6f843',
    displayName: 'Dynamics 365 for Marketing Addnl Contacts Tier 1',
  },
  {
    skuPartNumber: 'DYN365_MARKETING_CONTACT_ADDON_T5',
    skuId: 'd8eec316-778c-4f14-a7d1-a0aca433b4e7',
    displayName: 'Dynamics 365 for Marketing Addnl Contacts Tier 5',
  },
  {
    skuPartNumber: 'DYN365_MARKETING_APP_ATTACH',
    skuId: '85430fb9-02e8-48be-9d7e-328beb41fa29',
    displayName: 'Dynamics 365 for Marketing Attach',
  },
  {
    skuPartNumber: 'DYN365_BUSINESS_MARKETING',
    skuId: '238e2f8d-e429-4035-94db-6926be4ffe7b',
    displayName: 'Dynamics 365 for Marketing Business Edition',
  },
  {
    skuPartNumber: 'D365_MARKETING_USER',
    skuId: '4b32a493-9a67-4649-8eb9-9fc5a5f75c12',
    displayName: 'Dynamics 365 for Marketing USL',
  },
  {
    skuPartNumber: 'DYN365_ENTERPRISE_PROJECT_SERVICE_AUTOMATION_GOV',
    skuId: '1ec19b5f-7542-4b20-b01f-fb5d3f040e2d',
    displayName: 'Dynamics 365 for Project Service Automation Enterprise Edition for Government',
  },
  {
    skuPartNumber: 'D365_ENTERPRISE_PROJECT_SERVICE_AUTOMATION_GOV',
    skuId: '6c827f0a-42cb-4cff-b1cd-f4104c16ede3',
    displayName: 'Dynamics 365 for Project Service Automation for Government',
  },
  {
    skuPartNumber: 'DYN365_ENTERPRISE_SALES_CUSTOMERSERVICE',
    skuId: '8edc2cf8-6438-4fa9-b6e3-aa1660c640cc',
    displayName: 'Dynamics 365 for Sales and Customer Service Enterprise Edition',
  },
  {
    skuPartNumber: 'DYN365_ENTERPRISE_SALES',
    skuId: '1e1a282c-9c54-43a2-9310-98ef728faace',
    displayName: 'Dynamics 365 for Sales Enterprise Edition',
  },
  {
    skuPartNumber: 'D365_ENTERPRISE_SALES_GOV',
    skuId: 'e85b3345-2fd5-45cf-a196-7968d3e18e56',
    displayName: 'Dynamics 365 for Sales Enterprise for Government',
  },
  {
    skuPartNumber: 'D365_SALES_PRO',
    skuId: 'be9f9771-1c64-4618-9907-244325141096',
    displayName: 'Dynamics 365 for Sales Professional',
  },
  {
    skuPartNumber: 'D365_SALES_PRO_ATTACH',
    skuId: '245e6bf9-411e-481e-8611-5c08595e2988',
    displayName: 'Dynamics 365 for Sales Professional Attach to Qualifying Dynamics 365 Base Offer',
  },
  {
    skuPartNumber: 'D365_SALES_PRO_GOV',
    skuId: '229fa362-9d30-4dbc-8110-21b77a7f9b26',
    displayName: 'Dynamics 365 for Sales Professional for Government',
  },
  {
    skuPartNumber: 'D365_SALES_PRO_IW',
    skuId: '9c7bff7a-3715-4da7-88d3-07f57f8d0fb6',
    displayName: 'Dynamics 365 for Sales Professional Trial',
  },
  {
    skuPartNumber: 'DYN365_ENTERPRISE_SALES_GOV',
    skuId: '28b275ce-aec7-4c26-82e2-1ffbc2746ad4',
    displayName: 'Dynamics 365 for Sales, Enterprise Edition for Government',
  },
  {
    skuPartNumber: 'DYN365_SCM',
    skuId: 'f2e48cb3-9da0-42cd-8464-4a54ce198ad0',
    displayName: 'Dynamics 365 for Supply Chain Management',
  },
  {
    skuPartNumber: 'DYN365_SCM_ATTACH',
    skuId: '090b4a96-8114-4c95-9c91-60e81ef53302',
    displayName: 'Dynamics 365 for Supply Chain Management Attach to Qualifying Dynamics 365 Base Offer',
  },
  {
    skuPartNumber: 'SKU_Dynamics_365_for_HCM_Trial',
    skuId: '3a256e9a-15b6-4092-b0dc-82993f4debc6',
    displayName: 'Dynamics 365 for Talent',
  },
  {
    skuPartNumber: 'DYN365_ENTERPRISE_TEAM_MEMBERS',
    skuId: '8e7a3d30-d97d-43ab-837c-d7701cef83dc',
    displayName: 'Dynamics 365 for Team Members Enterprise Edition',
  },
  {
    skuPartNumber: 'DYN365_ENTERPRISE_TEAM_MEMBERS_GOV',
    skuId: 'ba05762f-32ff-4fac-a096-55309b3700a3',
    displayName: 'Dynamics 365 for Team Members Enterprise Edition for Government',
  },
  { skuPartNumber: 'GUIDES_USER', skuId: '0a389a77-9850-4dc4-b600-bc66fdfefc60', displayName: 'Dynamics 365 Guides' },
  {
    skuPartNumber: 'Dynamics_365_Guides_vTrial',
    skuId: '99cb3f83-fbec-4aa1-8262-9679e6df7c53',
    displayName: 'Dynamics 365 Guides vTrial',
  },
  {
    skuPartNumber: 'DYN365_HUMAN_RESOURCES_ATTACH',
    skuId: '83c489a4-94b6-4dcc-9fdc-ff9b107a4621',
    displayName: 'Dynamics 365 Human Resources Attach to Qualifying Dynamics 365 Base Offer',
  },
  {
    skuPartNumber: 'CRM_HYBRIDCONNECTOR',
    skuId: 'de176c31-616d-4eae-829a-718918d7ec23',
    displayName: 'Dynamics 365 Hybrid Connector',
  },
  {
    skuPartNumber: 'DYN365_MARKETING_APP',
    skuId: '00b861da-8087-4e30-beb8-8db3c6d9581e',
    displayName: 'Dynamics 365 Marketing App',
  },
  {
    skuPartNumber: 'Dynamics_365_Multi_app_',
    skuId: '6c75fb1b-61f2-42d0-b1b8-6492ca9ae159',
    displayName: 'Dynamics 365 Multi-app',
  },
  {
    skuPartNumber: 'Dynamics_365_for_Operations_Devices',
    skuId: '3bbd44ed-8a70-4c07-9088-6232ddbd5ddd',
    displayName: 'Dynamics 365 Operations - Device',
  },
  {
    skuPartNumber: 'Dynamics_365_for_Operations_Sandbox_Tier2_SKU',
    skuId: 'e485d696-4c87-4aac-bf4a-91b2fb6f0fa7',
    displayName: 'Dynamics 365 Operations - Sandbox Tier 2:Standard Acceptance Testing',
  },
  {
    skuPartNumber: 'Dynamics_365_for_Operations_Sandbox_Tier4_SKU',
    skuId: 'f7ad4bca-7221-452c-bdb6-3e6089f25e06',
    displayName: 'Dynamics 365 Operations - Sandbox Tier 4:Standard Performance Testing',
  },
  {
    skuPartNumber: 'Dyn365_Operations_Activity',
    skuId: 'b75074f1-4c54-41bf-970f-c9ac871567f5',
    displayName: 'Dynamics 365 Operations \u2013 Activity',
  },
  {
    skuPartNumber: 'DYN365_ENTERPRISE_P1_IW',
    skuId: '338148b6-1b11-4102-afb9-f92b6cdc0f8d',
    displayName: 'Dynamics 365 P1 Trial for Information Workers',
  },
  {
    skuPartNumber: 'DYN365_ENTERPRISE_PLAN1',
    skuId: 'ea126fc5-a19e-42e2-a731-da9d437bffcf',
    displayName: 'Dynamics 365 Plan 1 Enterprise Edition',
  },
  {
    skuPartNumber: 'DYN365_PROJECT_OPERATIONS',
    skuId: '98619618-9dc8-48c6-8f0c-741890ba5f93',
    displayName: 'Dynamics 365 Project Operations',
  },
  {
    skuPartNumber: 'DYN365_PROJECT_OPERATIONS_ATTACH',
    skuId: 'af739e8e-dd11-4eb5-a986-5908f595c603',
    displayName: 'Dynamics 365 Project Operations Attach',
  },
  {
    skuPartNumber: 'DYN365_REGULATORY_SERVICE',
    skuId: '7ed4877c-0863-4f69-9187-245487128d4f',
    displayName: 'Dynamics 365 Regulatory Service - Enterprise Edition Trial',
  },
  {
    skuPartNumber: 'MICROSOFT_REMOTE_ASSIST',
    skuId: '7a551360-26c4-4f61-84e6-ef715673e083',
    displayName: 'Dynamics 365 Remote Assist',
  },
  {
    skuPartNumber: 'MICROSOFT_REMOTE_ASSIST_HOLOLENS',
    skuId: 'e48328a2-8e98-4484-a70f-a99f8ac9ec89',
    displayName: 'Dynamics 365 Remote Assist HoloLens',
  },
  {
    skuPartNumber: 'D365_SALES_ENT_ATTACH',
    skuId: '5b22585d-1b71-4c6b-b6ec-160b1a9c2323',
    displayName: 'Dynamics 365 Sales Enterprise Attach to Qualifying Dynamics 365 Base Offer',
  },
  {
    skuPartNumber: 'DYN365_SALES_PREMIUM',
    skuId: '2edaa1dc-966d-4475-93d6-8ee8dfd96877',
    displayName: 'Dynamics 365 Sales Premium',
  },
  {
    skuPartNumber: 'Dynamics_365_Sales_Premium_Viral_Trial',
    skuId: '6ec92958-3cc1-49db-95bd-bc6b3798df71',
    displayName: 'Dynamics 365 Sales Premium Viral Trial',
  },
  {
    skuPartNumber: 'Dynamics_365_Sales_Field_Service_and_Customer_Service_Partner_Sandbox',
    skuId: '494721b8-1f30-4315-aba6-70ca169358d9',
    displayName: 'Dynamics 365 Sales, Field Service and Customer Service Partner Sandbox',
  },
  {
    skuPartNumber: 'Dynamics_365_Supply_Chain_Management_Premium',
    skuId: '9467fd84-2758-4287-b1fa-6a908c441b8a',
    displayName: 'Dynamics 365 Supply Chain Management Premium',
  },
  {
    skuPartNumber: 'Dynamics_365_Hiring_SKU',
    skuId: 'e561871f-74fa-4f02-abee-5b0ef54dd36d',
    displayName: 'Dynamics 365 Talent: Attract',
  },
  {
    skuPartNumber: 'DYNAMICS_365_ONBOARDING_SKU',
    skuId: 'b56e7ccc-d5c7-421f-a23b-5c18bdbad7c0',
    displayName: 'Dynamics 365 Talent: Onboard',
  },
  {
    skuPartNumber: 'DYN365_TEAM_MEMBERS',
    skuId: '7ac9fe77-66b7-4e5e-9e46-10eed1cff547',
    displayName: 'Dynamics 365 Team Members_wDynamicsRetail',
  },
  {
    skuPartNumber: 'Dynamics_365_for_Operations',
    skuId: 'ccba3cfe-71ef-423a-bd87-b6df3dce59a9',
    displayName: 'Dynamics 365 UNF OPS Plan ENT Edition',
  },
  {
    skuPartNumber: 'Microsoft_Copilot_for_Finance_trial',
    skuId: '7792674b-fa0c-4af5-b2a1-a15239f933b6',
    displayName: 'Microsoft 365 Copilot for Finance (Preview)',
  },
  {
    skuPartNumber: 'Microsoft_Copilot_for_Sales',
    skuId: '15f2e9fc-b782-4f73-bf51-81d8b7fff6f4',
    displayName: 'Microsoft 365 Copilot for Sales',
  },
  {
    skuPartNumber: 'Power_Virtual_Agents',
    skuId: '75564b9c-51e8-431c-b8fe-d472d5a545c8',
    displayName: 'Microsoft Copilot Studio',
  },
  {
    skuPartNumber: 'Power_Virtual_Agents_for_GCC_GCC',
    skuId: 'd7974fa0-ddd7-4899-9589-1ea04273aa26',
    displayName: 'Microsoft Copilot Studio for GCC',
  },
  {
    skuPartNumber: 'VIRTUAL_AGENT_USL',
    skuId: '4b74a65c-8b4a-4fc8-9f6b-5177ed11ddfa',
    displayName: 'Microsoft Copilot Studio User License',
  },
  {
    skuPartNumber: 'VIRTUAL_AGENT_USL_GCC',
    skuId: 'f1de227b-f1bd-4959-bd80-b80547095e6d',
    displayName: 'Microsoft Copilot Studio User License for GCC',
  },
  {
    skuPartNumber: 'VIRTUAL_AGENT_USL_AR_USGOV_GCCHIGH',
    skuId: '470845c0-6884-47e1-89d0-9d6244a77b44',
    displayName: 'Microsoft Copilot Studio User License for GCC High_USGOV_GCCHIGH',
  },
  {
    skuPartNumber: 'CCIBOTS_PRIVPREV_VIRAL',
    skuId: '606b54a9-78d8-4298-ad8b-df6ef4481c80',
    displayName: 'Microsoft Copilot Studio Viral Trial',
  },
  {
    skuPartNumber: 'Power_Virtual_Agents_USGOV_GCCHIGH',
    skuId: '84ed7c30-3738-43a0-aa03-cf6c577d8dbb',
    displayName: 'Microsoft Copilot Studio_USGOV_GCCHIGH',
  },
  {
    skuPartNumber: 'AX7_USER_TRIAL',
    skuId: 'fcecd1f9-a91e-488d-a918-a96cdb6ce2b0',
    displayName: 'Microsoft Dynamics AX7 User Trial',
  },
  {
    skuPartNumber: 'CRMSTANDARD',
    skuId: 'd17b27af-3f49-4822-99f9-56a661538792',
    displayName: 'Microsoft Dynamics CRM Online',
  },
  {
    skuPartNumber: 'CRMPLAN2',
    skuId: '906af65a-2970-46d5-9b58-4e9aa50f0657',
    displayName: 'Microsoft Dynamics CRM Online Basic',
  },
  {
    skuPartNumber: 'CRMPLAN2_GCC',
    skuId: '3856cd1b-8033-458e-8d0f-9909ec6e6e6d',
    displayName: 'Microsoft Dynamics CRM Online Basic for Government',
  },
  {
    skuPartNumber: 'CRMSTANDARD_GCC',
    skuId: 'ba051a1a-4c3d-4ccd-9890-6fa6a4e696e7',
    displayName: 'Microsoft Dynamics CRM Online for Government',
  },
  {
    skuPartNumber: 'POWERFLOW_P2',
    skuId: 'ddfae3e3-fcb2-4174-8ebd-3023cb213c8b',
    displayName: 'Microsoft Power Apps Plan 2 (Qualified Offer)',
  },
  {
    skuPartNumber: 'POWERAPPS_VIRAL',
    skuId: 'dcb1a3ae-b33f-4487-846a-a640262fadf4',
    displayName: 'Microsoft Power Apps Plan 2 Trial',
  },
  {
    skuPartNumber: 'FLOW_FREE',
    skuId: 'f30db892-07e9-47e9-837c-80727f46fd3d',
    displayName: 'Microsoft Power Automate Free',
  },
  {
    skuPartNumber: 'FLOW_P2',
    skuId: '4755df59-3f73-41ab-a249-596ad72b5504',
    displayName: 'Microsoft Power Automate Plan 2',
  },
  {
    skuPartNumber: 'POWERAPPS_DEV',
    skuId: '5b631642-bd26-49fe-bd20-1daaa972ef80',
    displayName: 'Microsoft PowerApps for Developer',
  },
  {
    skuPartNumber: 'DYN365_ENTERPRISE_RELATIONSHIP_SALES',
    skuId: '4f05b1a3-a978-462c-b93f-781c6bee998f',
    displayName: 'Microsoft Relationship Sales solution',
  },
  {
    skuPartNumber: 'Microsoft_Viva_Sales',
    skuId: '3227bcb2-8448-4f81-b3c2-8c2074e15a2a',
    displayName: 'Microsoft Sales Copilot',
  },
  {
    skuPartNumber: 'POWERAPPS_INDIVIDUAL_USER',
    skuId: '87bbbc60-4754-4998-8c88-227dca264858',
    displayName: 'Power Apps and Logic Flows',
  },
  {
    skuPartNumber: 'POWERAPPS_PER_APP_IW',
    skuId: 'bf666882-9c9b-4b2e-aa2f-4789b0a52ba2',
    displayName: 'Power Apps per app baseline access',
  },
  {
    skuPartNumber: 'POWERAPPS_PER_APP_BD_ONLY_GCC',
    skuId: 'cdc8d0fc-fd16-4954-aae6-ed89a99f5620',
    displayName: 'Power Apps Per App BD Only for GCC',
  },
  {
    skuPartNumber: 'POWERAPPS_PER_APP',
    skuId: 'a8ad7d2b-b8cf-49d6-b25a-69094a0be206',
    displayName: 'Power Apps per app Plan',
  },
  {
    skuPartNumber: 'POWERAPPS_PER_APP_NEW',
    skuId: 'b4d7b828-e8dc-4518-91f9-e123ae48440d',
    displayName: 'Power Apps per app Plan (1 app or portal)',
  },
  {
    skuPartNumber: 'Power_Apps_per_app_plan_(1_app_or_portal)_BD_Only_GCC',
    skuId: '816ee058-f70c-42ad-b433-d6171984ea20',
    displayName: 'Power Apps per app plan (1 app or website) BD Only \u2013 GCC',
  },
  {
    skuPartNumber: 'POWERAPPS_PER_APP_GCC_NEW',
    skuId: 'c14d7f00-457c-4e3e-8960-48f35459b3c9',
    displayName: 'Power Apps per app plan (1 app or website) for Government',
  },
  {
    skuPartNumber: 'POWERAPPS_PER_APP_GCC',
    skuId: '8623b2d7-5e24-4281-b6b7-086a5f3b0b1c',
    displayName: 'Power Apps per app plan for Government',
  },
  {
    skuPartNumber: 'POWERAPPS_PER_USER_BD_ONLY',
    skuId: '2ced8a00-3ed1-4295-ab7c-57170ff28e58',
    displayName: 'Power Apps Per User BD Only',
  },
  {
    skuPartNumber: 'POWERAPPS_P1_GOV',
    skuId: 'eca22b68-b31f-4e9c-a20c-4d40287bc5dd',
    displayName: 'Power Apps Plan 1 for Government',
  },
  {
    skuPartNumber: 'POWERAPPS_PORTALS_LOGIN_T2',
    skuId: '57f3babd-73ce-40de-bcb2-dadbfbfff9f7',
    displayName: 'Power Apps Portals login capacity add-on Tier 2 (10 unit min)',
  },
  {
    skuPartNumber: 'POWERAPPS_PORTALS_LOGIN_T2_GCC',
    skuId: '26c903d5-d385-4cb1-b650-8d81a643b3c4',
    displayName: 'Power Apps Portals login capacity add-on Tier 2 (10 unit min) for Government',
  },
  {
    skuPartNumber: 'POWERAPPS_PORTALS_LOGIN_T3',
    skuId: '927d8402-8d3b-40e8-b779-34e859f7b497',
    displayName: 'Power Apps Portals login capacity add-on Tier 3 (50 unit min)',
  },
  {
    skuPartNumber: 'POWERAPPS_PORTALS_PAGEVIEW',
    skuId: 'a0de5e3a-2500-4a19-b8f4-ec1c64692d22',
    displayName: 'Power Apps Portals page view capacity add-on',
  },
  {
    skuPartNumber: 'POWERAPPS_PORTALS_PAGEVIEW_GCC',
    skuId: '15a64d3e-5b99-4c4b-ae8f-aa6da264bfe7',
    displayName: 'Power Apps Portals page view capacity add-on for Government',
  },
  {
    skuPartNumber: 'POWERAPPS_PER_USER',
    skuId: 'b30411f5-fea1-4a59-9ad9-3db7c7ead579',
    displayName: 'Power Apps Premium',
  },
  {
    skuPartNumber: 'POWERAPPS_PER_USER_ISVEMB',
    skuId: '2a6fb3c6-30cc-4558-a69d-032425c1a3ba',
    displayName: 'Power Apps Premium embedded',
  },
  {
    skuPartNumber: 'POWERAPPS_PER_USER_GCC',
    skuId: '8e4c6baa-f2ff-4884-9c38-93785d0d7ba1',
    displayName: 'Power Apps Premium for Government',
  },
  {
    skuPartNumber: 'FLOW_BUSINESS_PROCESS',
    skuId: 'b3a42176-0a8c-4c3f-ba4e-f2b37fe5be6b',
    displayName: 'Power Automate per flow plan',
  },
  {
    skuPartNumber: 'FLOW_BUSINESS_PROCESS_GCC',
    skuId: 'd9de51e5-d8cd-45bb-8da3-1d55e28c52e6',
    displayName: 'Power Automate per flow plan for Government',
  },
  {
    skuPartNumber: 'FLOW_PER_USER',
    skuId: '4a51bf65-409c-4a91-b845-1121b571cc9d',
    displayName: 'Power Automate per user plan',
  },
  {
    skuPartNumber: 'FLOW_PER_USER_DEPT',
    skuId: 'd80a4c5d-8f05-4b64-9926-6574b9e6aee4',
    displayName: 'Power Automate per user plan dept',
  },
  {
    skuPartNumber: 'FLOW_PER_USER_GCC',
    skuId: 'c8803586-c136-479a-8ff3-f5f32d23a68e',
    displayName: 'Power Automate per user plan for Government',
  },
  {
    skuPartNumber: 'FLOW_P1_GOV',
    skuId: '2b3b0c87-36af-4d15-8124-04a691cc2546',
    displayName: 'Power Automate Plan 1 for Government (Qualified Offer)',
  },
  {
    skuPartNumber: 'POWERAUTOMATE_ATTENDED_RPA',
    skuId: 'eda1941c-3c4f-4995-b5eb-e85a42175ab9',
    displayName: 'Power Automate Premium',
  },
  {
    skuPartNumber: 'POWERAUTOMATE_ATTENDED_RPA_GCC',
    skuId: 'd3987516-4b53-4dc0-8335-411260bf5626',
    displayName: 'Power Automate Premium for Government',
  },
  {
    skuPartNumber: 'Power_Automate_per_process',
    skuId: '253ce8d3-6122-4240-8b04-f434a8fa831f',
    displayName: 'Power Automate Process',
  },
  {
    skuPartNumber: 'POWERAUTOMATE_UNATTENDED_RPA',
    skuId: '3539d28c-6e35-4a30-b3a9-cd43d5d3e0e2',
    displayName: 'Power Automate unattended RPA add-on',
  },
  {
    skuPartNumber: 'POWERAUTOMATE_UNATTENDED_RPA_GCC',
    skuId: '086e9b70-4720-4442-ab6d-3ef32bfb4721',
    displayName: 'Power Automate unattended RPA add-on for Government',
  },
  {
    skuPartNumber: 'Power_Pages_authenticated_users_T1_100_users/per_site/month_capacity_pack',
    skuId: 'debc9e58-f2d7-412c-a0b6-575608564228',
    displayName: 'Power Pages authenticated users T1 100 users/per site/month capacity pack',
  },
  {
    skuPartNumber: 'Power Pages authenticated users T1_CN_CN',
    skuId: '9a3c2a19-06c0-41b1-b2ea-13528d7b2e17',
    displayName: 'Power Pages authenticated users T1 100 users/per site/month capacity pack CN_CN',
  },
  {
    skuPartNumber: 'Power_Pages_authenticated_users_T1_100_users/per_site/month_capacity_pack_GCC',
    skuId: '27cb5f12-2e3f-4997-a649-45298673e6a1',
    displayName: 'Power Pages authenticated users T1 100 users/per site/month capacity pack_GCC',
  },
  {
    skuPartNumber: 'Power_Pages_authenticated_users_T1_100_users/per_site/month_capacity_pack_USGOV_DOD',
    skuId: 'b54f012e-69e1-43b1-87d0-666def064940',
    displayName: 'Power Pages authenticated users T1 100 users/per site/month capacity pack_USGOV_DOD',
  },
  {
    skuPartNumber: 'Power_Pages_authenticated_users_T1_100_users/per_site/month_capacity_pack_USGOV_GCCHIGH',
    skuId: '978ec396-f930-4ee1-85f3-e1d82e8f73a4',
    displayName: 'Power Pages authenticated users T1 100 users/per site/month capacity pack_USGOV_GCCHIGH',
  },
  {
    skuPartNumber: 'Power_Pages_authenticated_users_T2_min_100_units_100_users/per_site/month_capacity_pack',
    skuId: '6fe1e61a-91e5-40d7-a547-0d2dcc81bce8',
    displayName: 'Power Pages authenticated users T2 min 100 units - 100 users/per site/month capacity pack',
  },
  {
    skuPartNumber: 'Power Pages authenticated users T2_CN_CN',
    skuId: '7d2bb54a-a870-41c2-98d1-1f3b5b523275',
    displayName: 'Power Pages authenticated users T2 min 100 units - 100 users/per site/month capacity pack CN_CN',
  },
  {
    skuPartNumber: 'Power_Pages_authenticated_users_T2_min_100_units_100_users/per_site/month_capacity_pack_GCC',
    skuId: '5f43d48c-dd3d-4dd8-a059-70c2f040f979',
    displayName: 'Power Pages authenticated users T2 min 100 units - 100 users/per site/month capacity pack_GCC',
  },
  {
    skuPartNumber: 'Power_Pages_authenticated_users_T2_min_100_units_100_users/per_site/month_capacity_pack_USGOV_DOD',
    skuId: 'f3d55e2d-4367-44fa-952e-83d0b5dd53fc',
    displayName: 'Power Pages authenticated users T2 min 100 units - 100 users/per site/month capacity pack_USGOV_DOD',
  },
  {
    skuPartNumber:
      'Power_Pages_authenticated_users_T2_min_100_units_100_users/per_site/month_capacity_pack_USGOV_GCCHIGH',
    skuId: '7cae5432-61bb-48c3-b75c-831394ec13a0',
    displayName:
      'Power Pages authenticated users T2 min 100 units - 100 users/per site/month capacity pack_USGOV_GCCHIGH',
  },
  {
    skuPartNumber: 'Power_Pages_authenticated_users_T3_min_1,000_units_100_users/per_site/month_capacity_pack',
    skuId: '878b8bbd-3cd0-4b44-9a56-3406741e65e0',
    displayName: 'Power Pages authenticated users T3 min 1,000 units - 100 users/per site/month capacity pack',
  },
  {
    skuPartNumber: 'Power Pages authenticated users T3_CN_CN',
    skuId: '2cfd692f-a352-4fa8-b960-e3ad0c9b1178',
    displayName: 'Power Pages authenticated users T3 min 1,000 units - 100 users/per site/month capacity pack CN_CN',
  },
  {
    skuPartNumber: 'Power_Pages_authenticated_users_T3_min_1,000_units_100_users/per_site/month_capacity_pack_GCC',
    skuId: '53265c61-c78c-4223-ab30-422da0c97fbb',
    displayName: 'Power Pages authenticated users T3 min 1,000 units - 100 users/per site/month capacity pack_GCC',
  },
  {
    skuPartNumber:
      'Power_Pages_authenticated_users_T3_min_1,000_units_100_users/per_site/month_capacity_pack_USGOV_DOD',
    skuId: '398d37b5-8deb-48db-8f7f-703eb2fb7c72',
    displayName:
      'Power Pages authenticated users T3 min 1,000 units - 100 users/per site/month capacity pack_USGOV_DOD',
  },
  {
    skuPartNumber:
      'Power_Pages_authenticated_users_T3_min_1,000_units_100_users/per_site/month_capacity_pack_USGOV_GCCHIGH',
    skuId: '01d46c34-3525-47d5-bd1a-5f19979938a0',
    displayName:
      'Power Pages authenticated users T3 min 1,000 units - 100 users/per site/month capacity pack_USGOV_GCCHIGH',
  },
  {
    skuPartNumber: 'Power_Pages_vTrial_for_Makers',
    skuId: '3f9f06f5-3c31-472c-985f-62d9c10ec167',
    displayName: 'Power Pages vTrial for Makers',
  },
  {
    skuPartNumber: 'VIRTUAL_AGENT_BASE',
    skuId: 'e4e55366-9635-46f4-a907-fc8c3b5ec81f',
    displayName: 'Power Virtual Agent',
  },
  {
    skuPartNumber: 'VIRTUAL_AGENT_BASE_GCC',
    skuId: '9900a3e2-6660-4c52-9074-60c949991389',
    displayName: 'Power Virtual Agent for GCC',
  },
  {
    skuPartNumber: 'POWERFLOWGCC_TEST',
    skuId: '0f13a262-dc6f-4800-8dc6-a62f72c95fad',
    displayName: 'PowerApps & Flow GCC Test - O365 & Dyn365 Plans',
  },
  {
    skuPartNumber: 'DYN365_IOT_INTELLIGENCE_ADDL_MACHINES',
    skuId: '08e18479-4483-4f70-8f17-6f92156d8ea9',
    displayName: 'Sensor Data Intelligence Additional Machines Add-in for Dynamics 365 Supply Chain Management',
  },
  {
    skuPartNumber: 'DYN365_IOT_INTELLIGENCE_SCENARIO',
    skuId: '9ea4bdef-a20b-4668-b4a7-73e1f7696e0a',
    displayName: 'Sensor Data Intelligence Scenario Add-in for Dynamics 365 Supply Chain Management',
  },
];
